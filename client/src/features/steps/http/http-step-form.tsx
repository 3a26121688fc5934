import { httpBodyTypes, httpMethods, retryBackoffs } from '@automateos/shared';
import { Box, Field, Grid, HStack, Input, Separator, Stack, Switch, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { asRecord, asText, withField } from '../values';
import { useEditor, useFieldError } from './editor-context';
import { ExpressionInput } from './expression-input';
import { EditorField, Select } from './fields';
import { fieldKey, type IssuePath } from './issues';
import { JsonValueEditor } from './json-value-editor';
import { KeyValueEditor } from './key-value-editor';

const BODY_LABELS: Record<(typeof httpBodyTypes)[number], string> = {
  none: 'No body',
  json: 'JSON',
  text: 'Text',
  form: 'Form (URL-encoded)',
};

interface HttpStepFormProps {
  index: number;
  config: Record<string, unknown>;
  onChange: (config: Record<string, unknown>) => void;
}

export function HttpStepForm({ index, config, onChange }: HttpStepFormProps) {
  const { readOnly } = useEditor();
  const path = ['definition', 'steps', index, 'config'] as const;
  const at = (...rest: (string | number)[]): IssuePath => [...path, ...rest];
  const where = (field: string) => `Step ${index + 1} · ${field}`;
  const set = (key: string, value: unknown) => onChange(withField(config, key, value));

  const body = asRecord(config.body);
  const bodyType = asText(body.type, config.body === undefined ? 'none' : '');
  const retry = asRecord(config.retry);
  const setRetry = (key: string, value: unknown) => set('retry', withField(retry, key, value));

  return (
    <Stack gap="5">
      <HStack gap="3" align="start">
        <Box w="32" flexShrink={0}>
          <EditorField path={at('method')} label="Method">
            <Select
              value={asText(config.method, 'GET')}
              options={httpMethods.map((method) => ({ value: method, label: method }))}
              onChange={(method) => set('method', method)}
              disabled={readOnly}
            />
          </EditorField>
        </Box>
        <EditorField path={at('url')} label="URL" flex="1">
          <ExpressionInput
            size="sm"
            fontFamily="mono"
            value={asText(config.url)}
            placeholder="https://api.example.com/users/{{ trigger.body.user.id }}"
            readOnly={readOnly}
            onChange={(url) => set('url', url)}
          />
        </EditorField>
      </HStack>

      <Section title="Headers">
        <KeyValueEditor
          path={at('headers')}
          value={config.headers}
          onChange={(headers) => set('headers', headers)}
          noun="header"
          namePlaceholder="X-Source"
          where={where('headers')}
        />
      </Section>

      <Section title="Query parameters">
        <KeyValueEditor
          path={at('query')}
          value={config.query}
          onChange={(query) => set('query', query)}
          noun="query parameter"
          namePlaceholder="page"
          where={where('query')}
        />
      </Section>

      <Section title="Body">
        <Stack gap="3">
          <Box maxW="60">
            <EditorField path={at('body', 'type')} label="Body type" hideLabel>
              <Select
                aria-label="Body type"
                value={bodyType}
                options={httpBodyTypes.map((type) => ({ value: type, label: BODY_LABELS[type] }))}
                onChange={(type) => set('body', convertBody(body, type))}
                disabled={readOnly}
              />
            </EditorField>
          </Box>
          <BodyProblem path={at('body')} />
          {bodyType === 'json' && (
            <EditorField path={at('body', 'value')} label="JSON body" hideLabel>
              <JsonValueEditor
                path={at('body', 'value')}
                aria-label="JSON body"
                value={body.value}
                onChange={(value) => set('body', { ...body, value })}
                where={where('body')}
              />
            </EditorField>
          )}
          {bodyType === 'text' && (
            <EditorField path={at('body', 'value')} label="Text body" hideLabel>
              <ExpressionInput
                multiline
                aria-label="Text body"
                value={asText(body.value)}
                readOnly={readOnly}
                onChange={(value) => set('body', { ...body, value })}
              />
            </EditorField>
          )}
          {bodyType === 'form' && (
            <KeyValueEditor
              path={at('body', 'value')}
              value={body.value}
              onChange={(value) => set('body', { ...body, value })}
              noun="form field"
              where={where('body')}
            />
          )}
        </Stack>
      </Section>

      <Section title="Timeout and retries">
        <Grid templateColumns={{ base: '1fr 1fr', md: 'repeat(4, 1fr)' }} gap="3">
          <EditorField path={at('timeoutMs')} label="Timeout (ms)">
            <NumberInput
              value={config.timeoutMs}
              placeholder="10000"
              onChange={(value) => set('timeoutMs', value)}
            />
          </EditorField>
          <EditorField path={at('retry', 'attempts')} label="Retries">
            <NumberInput
              value={retry.attempts}
              placeholder="0"
              onChange={(value) => setRetry('attempts', value)}
            />
          </EditorField>
          <EditorField path={at('retry', 'backoff')} label="Backoff">
            <Select
              value={asText(retry.backoff, 'exponential')}
              options={retryBackoffs.map((backoff) => ({ value: backoff, label: backoff }))}
              onChange={(backoff) => setRetry('backoff', backoff)}
              disabled={readOnly}
            />
          </EditorField>
          <EditorField path={at('retry', 'delayMs')} label="Retry delay (ms)">
            <NumberInput
              value={retry.delayMs}
              placeholder="1000"
              onChange={(value) => setRetry('delayMs', value)}
            />
          </EditorField>
        </Grid>
        <Text fontSize="xs" color="fg.muted" mt="2">
          Retries happen on network errors, 5xx and 429 answers.
        </Text>
        <Field.Root mt="3" data-field={fieldKey(at('failOnHttpError'))}>
          <Switch.Root
            size="sm"
            colorPalette="blue"
            checked={config.failOnHttpError !== false}
            disabled={readOnly}
            onCheckedChange={({ checked }) => set('failOnHttpError', checked)}
          >
            <Switch.HiddenInput />
            <Switch.Control />
            <Switch.Label fontWeight="normal">Fail the step when the response is 4xx or 5xx</Switch.Label>
          </Switch.Root>
          <FieldError path={at('failOnHttpError')} />
        </Field.Root>
      </Section>
    </Stack>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="2" role="group" aria-label={title}>
      <HStack gap="3">
        <Text fontSize="sm" fontWeight="medium" flexShrink={0}>
          {title}
        </Text>
        <Separator flex="1" />
      </HStack>
      {children}
    </Stack>
  );
}

function BodyProblem({ path }: { path: IssuePath }) {
  const error = useFieldError(path);
  return error ? (
    <Text fontSize="sm" color="fg.error" data-field={fieldKey(path)}>
      {error}
    </Text>
  ) : null;
}

function FieldError({ path }: { path: IssuePath }) {
  const error = useFieldError(path);
  return error ? (
    <Text fontSize="sm" color="fg.error">
      {error}
    </Text>
  ) : null;
}

/**
 * A whole number input. Empty removes the field, so the schema's default applies; anything else is
 * sent as the number typed (the schema explains a fraction or a value out of range).
 */
function NumberInput({
  value,
  placeholder,
  onChange,
}: {
  value: unknown;
  placeholder: string;
  onChange: (value: number | undefined) => void;
}) {
  const { readOnly } = useEditor();
  return (
    <Input
      size="sm"
      type="number"
      inputMode="numeric"
      min={0}
      value={typeof value === 'number' ? String(value) : ''}
      placeholder={placeholder}
      readOnly={readOnly}
      onChange={(event) => {
        const text = event.target.value.trim();
        onChange(text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text));
      }}
    />
  );
}

/** Switching the body type keeps what can be kept: JSON text becomes a text body and back. */
export function convertBody(body: Record<string, unknown>, type: string): Record<string, unknown> {
  const value = body.value;
  switch (type) {
    case 'none':
      return { type: 'none' };
    case 'json': {
      if (body.type === 'text' && typeof value === 'string') {
        try {
          return { type: 'json', value: JSON.parse(value) };
        } catch {
          // Not JSON: start from an empty object.
        }
      }
      if (body.type === 'form' && value !== undefined) return { type: 'json', value };
      return { type: 'json', value: {} };
    }
    case 'text':
      return {
        type: 'text',
        value: typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value, null, 2),
      };
    case 'form': {
      const record = asRecord(value);
      const flat = Object.values(record).every((entry) => typeof entry === 'string');
      return { type: 'form', value: flat ? record : {} };
    }
    default:
      return { ...body, type };
  }
}
