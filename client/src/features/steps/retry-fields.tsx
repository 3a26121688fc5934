import { retryBackoffs } from '@automateos/shared';
import { Grid, Text } from '@chakra-ui/react';
import { useEditor } from '../workflows/editor/editor-context';
import type { IssuePath } from '../workflows/editor/field-path';
import { EditorField, NumberInput, Section, Select } from '../workflows/editor/fields';
import { asRecord, asText, withField } from '../workflows/values';

interface RetryFieldsProps {
  /** The path of the step's config. */
  at: (...rest: (string | number)[]) => IssuePath;
  value: unknown;
  onChange: (retry: Record<string, unknown>) => void;
  /** When a retry happens, for the hint under the fields. */
  when: string;
}

/** The retry policy of an integration step (Notion, Slack, email): attempts, backoff and delay. */
export function RetryFields({ at, value, onChange, when }: RetryFieldsProps) {
  const { readOnly } = useEditor();
  const retry = asRecord(value);
  const set = (key: string, field: unknown) => onChange(withField(retry, key, field));
  return (
    <Section title="Retries">
      <Grid templateColumns="repeat(3, 1fr)" gap="3">
        <EditorField path={at('retry', 'attempts')} label="Retries">
          <NumberInput value={retry.attempts} placeholder="0" onChange={(n) => set('attempts', n)} />
        </EditorField>
        <EditorField path={at('retry', 'backoff')} label="Backoff">
          <Select
            value={asText(retry.backoff, 'exponential')}
            options={retryBackoffs.map((backoff) => ({ value: backoff, label: backoff }))}
            onChange={(backoff) => set('backoff', backoff)}
            disabled={readOnly}
          />
        </EditorField>
        <EditorField path={at('retry', 'delayMs')} label="Retry delay (ms)">
          <NumberInput value={retry.delayMs} placeholder="1000" onChange={(n) => set('delayMs', n)} />
        </EditorField>
      </Grid>
      <Text fontSize="xs" color="fg.muted">
        {when}
      </Text>
    </Section>
  );
}

/** The input showing a problem in the config's `retry`, for a step's issueField. */
export function retryIssueField(path: IssuePath): IssuePath {
  const [, field] = path;
  return typeof field === 'string' && ['attempts', 'backoff', 'delayMs'].includes(field)
    ? ['retry', field]
    : ['retry'];
}
