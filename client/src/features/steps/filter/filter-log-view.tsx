import { type FilterOutput, filterOperators, filterOutputSchema } from '@automateos/shared';
import { chakra, Stack, Table, Text } from '@chakra-ui/react';
import { JsonTokens } from '../../executions/json-view';
import type { StepLogViewProps } from '../registry';

/** A Filter step's output, checked: the log is stored JSON, so its shape is not taken on trust. */
export function filterOutputOf(output: unknown): FilterOutput | null {
  const parsed = filterOutputSchema.safeParse(output);
  return parsed.success ? parsed.data : null;
}

/** "is equal to" for `equals`; an operator this version does not know is shown as it is. */
export function operatorLabel(op: string): string {
  return Object.hasOwn(filterOperators, op) ? filterOperators[op as keyof typeof filterOperators].label : op;
}

/** Whether the operator compares with a right-hand value (unary ones like `exists` do not). */
export function takesRight(op: string): boolean {
  return !Object.hasOwn(filterOperators, op) || !filterOperators[op as keyof typeof filterOperators].unary;
}

/** The verdict, and every condition with both sides as compared and its result. */
export function FilterLogView({ log }: StepLogViewProps) {
  const filter = filterOutputOf(log.output);
  if (!filter) return null;
  return (
    <Stack gap="2">
      <Text fontSize="sm">
        Passes when <strong>{filter.match === 'any' ? 'any condition is' : 'all conditions are'}</strong>{' '}
        true:{' '}
        <Text as="span" fontWeight="semibold" color={filter.passed ? 'green.fg' : 'orange.fg'}>
          {filter.passed ? 'passed' : 'did not pass, so the execution stopped here'}
        </Text>
      </Text>
      <Table.ScrollArea borderWidth="1px" rounded="l2">
        <Table.Root
          size="sm"
          aria-label="Filter conditions"
          css={{ '& tbody tr:last-of-type td': { borderBottomWidth: '0' } }}
        >
          <Table.Header>
            <Table.Row>
              <Table.ColumnHeader>Value</Table.ColumnHeader>
              <Table.ColumnHeader>Operator</Table.ColumnHeader>
              <Table.ColumnHeader>Compared with</Table.ColumnHeader>
              <Table.ColumnHeader>Result</Table.ColumnHeader>
            </Table.Row>
          </Table.Header>
          <Table.Body>
            {filter.conditions.map((condition, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: conditions have no id and never reorder
              <Table.Row key={index}>
                <Table.Cell>
                  <Operand value={condition.left} />
                </Table.Cell>
                <Table.Cell whiteSpace="nowrap">
                  {operatorLabel(condition.op)}
                  {condition.caseSensitive === false && (
                    <Text as="span" color="fg.muted">
                      {' '}
                      (ignoring case)
                    </Text>
                  )}
                </Table.Cell>
                <Table.Cell>
                  {takesRight(condition.op) ? <Operand value={condition.right} /> : null}
                </Table.Cell>
                <Table.Cell>
                  <Text
                    as="span"
                    fontWeight="semibold"
                    color={condition.result ? 'green.fg' : 'red.fg'}
                    whiteSpace="nowrap"
                  >
                    {condition.result ? '✓ true' : '✗ false'}
                  </Text>
                </Table.Cell>
              </Table.Row>
            ))}
          </Table.Body>
        </Table.Root>
      </Table.ScrollArea>
    </Stack>
  );
}

/** A value as compared: inline JSON (so "5" and 5 look different), or "missing" for a path that found nothing. */
function Operand({ value }: { value: unknown }) {
  if (value === undefined) {
    return (
      <Text as="span" fontStyle="italic" color="fg.muted">
        missing
      </Text>
    );
  }
  const text = JSON.stringify(value);
  return (
    <chakra.span fontFamily="mono" fontSize="xs" display="block" truncate maxW="xs" title={text}>
      <JsonTokens text={text} />
    </chakra.span>
  );
}
