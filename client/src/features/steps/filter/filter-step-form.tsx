import {
  type FilterOperator,
  filterMatchModes,
  filterOperatorList,
  filterOperators,
} from '@automateos/shared';
import { Box, Button, Checkbox, Field, Grid, HStack, IconButton, Stack, Text } from '@chakra-ui/react';
import { PlusIcon, TrashIcon } from '../../../components/icons';
import { useEditor, useFieldError } from '../../workflows/editor/editor-context';
import { ExpressionInput } from '../../workflows/editor/expression-input';
import { fieldKey, type IssuePath } from '../../workflows/editor/field-path';
import { EditorField, FieldError, Select, type StepFormProps } from '../../workflows/editor/fields';
import { asList, asRecord, asText, withField } from '../../workflows/values';

const MATCH_LABELS: Record<(typeof filterMatchModes)[number], string> = {
  all: 'all conditions match',
  any: 'any condition matches',
};

const isUnary = (op: string) => op in filterOperators && filterOperators[op as FilterOperator].unary;

export function FilterStepForm({ index, config, onChange }: StepFormProps) {
  const { readOnly } = useEditor();
  const path = ['definition', 'steps', index, 'config'] as const;
  const conditions = asList(config.conditions);

  const setConditions = (next: unknown[]) => onChange({ ...config, conditions: next });
  const updateCondition = (position: number, condition: Record<string, unknown>) =>
    setConditions(conditions.map((other, at) => (at === position ? condition : other)));

  return (
    <Stack gap="4">
      <HStack gap="2" wrap="wrap">
        <Text fontSize="sm">Continue only when</Text>
        <Box w="52">
          <EditorField path={[...path, 'match']} label="Match" hideLabel>
            <Select
              aria-label="Match"
              value={asText(config.match, 'all')}
              options={filterMatchModes.map((mode) => ({ value: mode, label: MATCH_LABELS[mode] }))}
              onChange={(match) => onChange({ ...config, match })}
              disabled={readOnly}
            />
          </EditorField>
        </Box>
        <Text fontSize="sm" color="fg.muted">
          — otherwise the execution stops here as filtered.
        </Text>
      </HStack>

      <Stack gap="3" role="list" aria-label="Conditions">
        {conditions.map((condition, position) => (
          <ConditionRow
            // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no identity of their own
            key={position}
            path={[...path, 'conditions', position]}
            number={position + 1}
            condition={asRecord(condition)}
            onChange={(next) => updateCondition(position, next)}
            onRemove={() => setConditions(conditions.filter((_, at) => at !== position))}
          />
        ))}
      </Stack>
      <FieldError path={[...path, 'conditions']} anchor />
      <div>
        <Button
          size="xs"
          variant="ghost"
          disabled={readOnly}
          onClick={() =>
            setConditions([...conditions, { left: '', op: 'equals', right: '', caseSensitive: true }])
          }
        >
          <PlusIcon />
          Add condition
        </Button>
      </div>
    </Stack>
  );
}

interface ConditionRowProps {
  path: IssuePath;
  number: number;
  condition: Record<string, unknown>;
  onChange: (condition: Record<string, unknown>) => void;
  onRemove: () => void;
}

function ConditionRow({ path, number, condition, onChange, onRemove }: ConditionRowProps) {
  const { readOnly } = useEditor();
  const op = asText(condition.op);
  const unary = isUnary(op);
  const rowError = useFieldError(path);
  const rightError = useFieldError([...path, 'right']);
  const set = (key: string, value: unknown) => onChange(withField(condition, key, value));

  // A unary operator has no right-hand value; switching between the kinds adds or removes it.
  const setOperator = (next: string) => {
    const withOp = { ...condition, op: next };
    if (isUnary(next)) onChange(withField(withOp, 'right', undefined));
    else onChange(typeof condition.right === 'string' ? withOp : { ...withOp, right: '' });
  };

  return (
    <Box
      role="listitem"
      aria-label={`Condition ${number}`}
      borderWidth="1px"
      rounded="l2"
      p="3"
      bg="bg.subtle"
    >
      <Grid
        templateColumns={{ base: '1fr', md: unary ? '3fr 2fr auto' : '3fr 2fr 3fr auto' }}
        gap="2"
        alignItems="start"
      >
        <EditorField path={[...path, 'left']} label={`Condition ${number} value`} hideLabel>
          <ExpressionInput
            size="sm"
            fontFamily="mono"
            aria-label={`Condition ${number} value`}
            placeholder="{{ trigger.body.user.plan }}"
            value={asText(condition.left)}
            readOnly={readOnly}
            onChange={(left) => set('left', left)}
          />
        </EditorField>
        <EditorField path={[...path, 'op']} label={`Condition ${number} operator`} hideLabel>
          <Select
            aria-label={`Condition ${number} operator`}
            value={op}
            options={filterOperatorList.map((operator) => ({ value: operator.op, label: operator.label }))}
            onChange={setOperator}
            disabled={readOnly}
          />
        </EditorField>
        {!unary && (
          <EditorField path={[...path, 'right']} label={`Condition ${number} compare with`} hideLabel>
            <ExpressionInput
              size="sm"
              aria-label={`Condition ${number} compare with`}
              placeholder={op === 'matchesRegex' ? '^ord_\\d+$' : 'pro'}
              value={asText(condition.right)}
              readOnly={readOnly}
              onChange={(right) => set('right', right)}
            />
          </EditorField>
        )}
        <IconButton
          size="sm"
          variant="ghost"
          aria-label={`Remove condition ${number}`}
          disabled={readOnly}
          onClick={onRemove}
        >
          <TrashIcon />
        </IconButton>
      </Grid>
      <HStack mt="2" gap="4">
        <Checkbox.Root
          size="sm"
          checked={condition.caseSensitive !== false}
          disabled={readOnly}
          onCheckedChange={({ checked }) => set('caseSensitive', checked === true)}
        >
          <Checkbox.HiddenInput />
          <Checkbox.Control />
          <Checkbox.Label fontWeight="normal" color="fg.muted">
            Case-sensitive
          </Checkbox.Label>
        </Checkbox.Root>
      </HStack>
      {/* A right-hand value on a unary operator can only come from the JSON tab; offer to drop it. */}
      {unary && condition.right !== undefined && (
        <Field.Root invalid data-field={fieldKey([...path, 'right'])} mt="2">
          <HStack gap="2">
            <Field.ErrorText mt="0">{rightError ?? `"${op}" takes no right-hand value`}</Field.ErrorText>
            <Button size="2xs" variant="outline" onClick={() => set('right', undefined)} disabled={readOnly}>
              Remove value
            </Button>
          </HStack>
        </Field.Root>
      )}
      {rowError && (
        <Text fontSize="sm" color="fg.error" mt="2" data-field={fieldKey(path)}>
          {rowError}
        </Text>
      )}
    </Box>
  );
}

const CONDITION_FIELDS = new Set(['left', 'op', 'right', 'caseSensitive']);

/** The input of this form that shows a problem at `path` inside the config, if it has one. */
export function filterIssueField(path: IssuePath): IssuePath | undefined {
  const [key, index, field] = path;
  if (key === 'match') return ['match'];
  if (key !== 'conditions') return undefined;
  if (typeof index !== 'number') return ['conditions'];
  return typeof field === 'string' && CONDITION_FIELDS.has(field)
    ? ['conditions', index, field]
    : ['conditions', index];
}
