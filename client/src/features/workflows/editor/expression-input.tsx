import { describedFields, isStepType, isTriggerType, stepTypes, triggerTypes } from '@automateos/shared';
import { Box, IconButton, Input, Menu, Portal, Text, Textarea } from '@chakra-ui/react';
import { memo, use, useRef } from 'react';
import { BracesIcon } from '../../../components/icons';
import { useLatest } from '../../../lib/use-latest';
import { type ExpressionScope, ExpressionScopeContext } from './editor-context';

export interface ExpressionReference {
  path: string;
  description: string;
}

/**
 * What a step's expressions can read, from the shared specs: the fields the trigger type gives them,
 * then the described output fields of each step above this one.
 */
export function expressionReferences({ triggerType, steps: earlier }: ExpressionScope) {
  const triggerSpec = isTriggerType(triggerType) ? triggerTypes[triggerType] : undefined;
  const trigger: ExpressionReference[] = Object.entries(triggerSpec?.fields ?? {}).map(
    ([field, description]) => ({ path: `trigger.${field}`, description }),
  );
  const steps = earlier.flatMap(({ id, type }): ExpressionReference[] => {
    const fields = isStepType(type) ? describedFields(stepTypes[type].outputSchema) : [];
    return fields.length > 0
      ? fields.map(({ name, description }) => ({ path: `steps.${id}.${name}`, description }))
      : [{ path: `steps.${id}`, description: 'The output of this step' }];
  });
  return { triggerTitle: triggerSpec?.title, trigger, steps };
}

interface ExpressionInputProps {
  value: string;
  onChange: (value: string) => void;
  multiline?: boolean;
  rows?: number;
  size?: 'sm' | 'md';
  flex?: string;
  fontFamily?: string;
  placeholder?: string;
  readOnly?: boolean;
  'aria-label'?: string;
  'aria-invalid'?: boolean;
}

/**
 * A text input whose value may hold `{{ … }}` expressions, with a button that lists what this step
 * can reference (the trigger, and only the steps above it). Choosing one inserts it at the cursor,
 * ready to be extended: `{{ trigger.body| }}` → type `.user.id`.
 */
export function ExpressionInput({
  value,
  onChange,
  multiline,
  rows,
  flex,
  readOnly,
  ...props
}: ExpressionInputProps) {
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);

  const insert = useLatest((path: string) => {
    const element = field.current;
    const start = element?.selectionStart ?? value.length;
    const end = element?.selectionEnd ?? value.length;
    const expression = `{{ ${path} }}`;
    onChange(value.slice(0, start) + expression + value.slice(end));
    const caret = start + expression.length - 3;
    // After the menu has closed and handed focus back to its button.
    setTimeout(() => {
      element?.focus();
      element?.setSelectionRange(caret, caret);
    }, 0);
  });

  const common = {
    ref: field,
    value,
    readOnly,
    onChange: (event: { target: { value: string } }) => onChange(event.target.value),
    spellCheck: false,
    autoComplete: 'off',
    pe: '9',
    ...props,
  };

  return (
    <Box position="relative" minW="0" flex={flex} width={flex ? undefined : 'full'}>
      {multiline ? (
        <Textarea
          {...common}
          rows={rows ?? 4}
          fontFamily="mono"
          fontSize="sm"
          css={{ fieldSizing: 'content' }}
          minH="24"
        />
      ) : (
        <Input {...common} />
      )}
      {!readOnly && (
        <Box
          position="absolute"
          top={multiline ? '1.5' : '0'}
          bottom={multiline ? undefined : '0'}
          right="1"
          display="flex"
          alignItems="center"
          zIndex="1"
        >
          <ReferenceMenu onInsert={insert} fieldLabel={props['aria-label']} />
        </Box>
      )}
    </Box>
  );
}

/** Memoized: each menu is a state machine, too costly to re-render on every keystroke in its input. */
const ReferenceMenu = memo(function ReferenceMenu({
  onInsert,
  fieldLabel,
}: {
  onInsert: (path: string) => void;
  fieldLabel: string | undefined;
}) {
  const scope = use(ExpressionScopeContext);
  const { triggerTitle, trigger, steps } = expressionReferences(scope);
  return (
    <Menu.Root onSelect={({ value }) => onInsert(value)} positioning={{ placement: 'bottom-end' }}>
      <Menu.Trigger asChild>
        <IconButton
          size="2xs"
          variant="ghost"
          color="fg.muted"
          aria-label={fieldLabel ? `Insert an expression into ${fieldLabel}` : 'Insert an expression'}
          title="Insert an expression"
        >
          <BracesIcon />
        </IconButton>
      </Menu.Trigger>
      <Portal>
        <Menu.Positioner>
          <Menu.Content maxW="sm" maxH="80" overflowY="auto">
            <Menu.ItemGroup>
              <Menu.ItemGroupLabel>
                {triggerTitle ? `What the ${triggerTitle.toLowerCase()} trigger delivered` : 'The trigger'}
              </Menu.ItemGroupLabel>
              {trigger.map((reference) => (
                <ReferenceItem key={reference.path} reference={reference} />
              ))}
            </Menu.ItemGroup>
            <Menu.Separator />
            <Menu.ItemGroup>
              <Menu.ItemGroupLabel>Steps above this one</Menu.ItemGroupLabel>
              {steps.length === 0 ? (
                <Text px="2" py="1.5" fontSize="xs" color="fg.muted">
                  None: this is the first step.
                </Text>
              ) : (
                steps.map((reference) => <ReferenceItem key={reference.path} reference={reference} />)
              )}
            </Menu.ItemGroup>
          </Menu.Content>
        </Menu.Positioner>
      </Portal>
    </Menu.Root>
  );
});

function ReferenceItem({ reference }: { reference: ExpressionReference }) {
  return (
    <Menu.Item value={reference.path} py="1.5" flexDirection="column" alignItems="start" gap="0">
      <Text fontFamily="mono" fontSize="sm">{`{{ ${reference.path} }}`}</Text>
      <Text fontSize="xs" color="fg.muted">
        {reference.description}
      </Text>
    </Menu.Item>
  );
}
