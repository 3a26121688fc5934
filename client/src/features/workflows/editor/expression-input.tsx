import {
  Box,
  Button,
  HStack,
  IconButton,
  Input,
  Popover,
  Portal,
  Stack,
  Text,
  Textarea,
} from '@chakra-ui/react';
import { memo, use, useRef, useState } from 'react';
import { BracesIcon, ChevronRightIcon } from '../../../components/icons';
import { formatRelativeTime } from '../../../lib/relative-time';
import { useLatest } from '../../../lib/use-latest';
import { ExpressionScopeContext } from './editor-context';
import { FieldSamplesContext } from './field-samples';
import { childrenOf, type FieldNode, fieldTree, hasChildren, previewOf } from './field-tree';

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
 * A text input whose value may hold `{{ … }}` expressions, with a button that opens the field picker:
 * what this step can reference (the trigger, and only the steps above it), with real data where there
 * is some. Choosing a field inserts it at the cursor: `{{ trigger.body.user.id }}`.
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
          <FieldPicker onInsert={insert} fieldLabel={props['aria-label']} />
        </Box>
      )}
    </Box>
  );
}

/**
 * The field picker: what this step can read as a browsable tree, from real data where there is some
 * (the last trigger data or the test payload, each step's last output). Clicking a field inserts its
 * path. Memoized, and its contents are built only while it is open: there is one per input.
 */
const FieldPicker = memo(function FieldPicker({
  onInsert,
  fieldLabel,
}: {
  onInsert: (path: string) => void;
  fieldLabel: string | undefined;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Popover.Root
      open={open}
      onOpenChange={(details) => setOpen(details.open)}
      positioning={{ placement: 'bottom-end' }}
      lazyMount
      unmountOnExit
    >
      <Popover.Trigger asChild>
        <IconButton
          size="2xs"
          variant="ghost"
          color="fg.muted"
          aria-label={fieldLabel ? `Insert an expression into ${fieldLabel}` : 'Insert an expression'}
          title="Insert a field"
        >
          <BracesIcon />
        </IconButton>
      </Popover.Trigger>
      <Portal>
        <Popover.Positioner>
          <Popover.Content width="sm" maxW="90vw" aria-label="Fields to insert">
            <Popover.Body p="2" maxH="96" overflowY="auto">
              <FieldPickerTree
                onInsert={(path) => {
                  setOpen(false);
                  onInsert(path);
                }}
              />
            </Popover.Body>
          </Popover.Content>
        </Popover.Positioner>
      </Portal>
    </Popover.Root>
  );
});

function FieldPickerTree({ onInsert }: { onInsert: (path: string) => void }) {
  const scope = use(ExpressionScopeContext);
  const samples = use(FieldSamplesContext);
  const { triggerTitle, trigger, steps } = fieldTree(scope, samples);
  const source = samples.trigger;
  return (
    <Stack gap="3">
      <Stack gap="1" role="group" aria-label="Trigger fields">
        <Text fontSize="xs" fontWeight="semibold" color="fg.muted" px="1">
          {triggerTitle ? `What the ${triggerTitle.toLowerCase()} trigger delivered` : 'The trigger'}
        </Text>
        <Text fontSize="xs" color="fg.muted" px="1">
          {source
            ? `From ${source.source}${source.at ? `, ${formatRelativeTime(source.at, Date.now())}` : ''}.`
            : 'No data yet: a test run or a webhook fills in the real fields.'}
        </Text>
        {trigger.map((node) => (
          <FieldRow key={node.path} node={node} depth={0} onInsert={onInsert} open={node.label === 'body'} />
        ))}
      </Stack>
      <Stack gap="1" role="group" aria-label="Fields of the steps above">
        <Text fontSize="xs" fontWeight="semibold" color="fg.muted" px="1">
          Steps above this one
        </Text>
        {steps.length === 0 ? (
          <Text px="1" fontSize="xs" color="fg.muted">
            None: this is the first step.
          </Text>
        ) : (
          steps.map((node) => <FieldRow key={node.path} node={node} depth={0} onInsert={onInsert} />)
        )}
      </Stack>
    </Stack>
  );
}

/** One field: a button that inserts its path, and (for objects and lists) a toggle for its children. */
function FieldRow({
  node,
  depth,
  onInsert,
  open: openAtFirst = false,
}: {
  node: FieldNode;
  depth: number;
  onInsert: (path: string) => void;
  open?: boolean;
}) {
  const expandable = hasChildren(node);
  const [open, setOpen] = useState(openAtFirst && expandable);
  const { children, more } = open ? childrenOf(node) : { children: [], more: 0 };
  return (
    <Box>
      <HStack gap="0.5" ps={`${depth * 0.75}rem`}>
        {expandable ? (
          <IconButton
            size="2xs"
            variant="ghost"
            aria-label={`${open ? 'Close' : 'Open'} ${node.path}`}
            aria-expanded={open}
            onClick={() => setOpen((value) => !value)}
          >
            <ChevronRightIcon transform={open ? 'rotate(90deg)' : undefined} transition="transform 0.15s" />
          </IconButton>
        ) : (
          <Box w="6" flexShrink={0} />
        )}
        <Button
          size="xs"
          variant="ghost"
          flex="1"
          minW="0"
          justifyContent="start"
          fontWeight="normal"
          aria-label={`Insert {{ ${node.path} }}`}
          title={`{{ ${node.path} }}`}
          onClick={() => onInsert(node.path)}
        >
          <Text as="span" fontFamily="mono" truncate flexShrink={0} maxW="60%">
            {node.label}
          </Text>
          <Text as="span" color="fg.muted" truncate fontSize="xs">
            {node.sample ? previewOf(node.sample.value) : (node.note ?? node.description)}
          </Text>
        </Button>
      </HStack>
      {children.map((child) => (
        <FieldRow key={child.path} node={child} depth={depth + 1} onInsert={onInsert} />
      ))}
      {more > 0 && (
        <Text fontSize="xs" color="fg.muted" ps={`${(depth + 1) * 0.75 + 1.75}rem`} py="0.5">
          …and {more} more
        </Text>
      )}
    </Box>
  );
}
