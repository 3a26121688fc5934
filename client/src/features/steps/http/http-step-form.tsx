import { httpBodyTypes, httpMethods, httpStepType, isRecord, retryBackoffs } from '@automateos/shared';
import { Box, Field, Grid, HStack, Stack, Switch, Text } from '@chakra-ui/react';
import { CredentialPicker } from '../../credentials/credential-picker';
import { useEditor } from '../../workflows/editor/editor-context';
import { ExpressionInput } from '../../workflows/editor/expression-input';
import { fieldKey, type IssuePath } from '../../workflows/editor/field-path';
import {
  EditorField,
  FieldError,
  NumberInput,
  Section,
  Select,
  type StepFormProps,
} from '../../workflows/editor/fields';
import { JsonValueEditor } from '../../workflows/editor/json-value-editor';
import { KeyValueEditor } from '../../workflows/editor/key-value-editor';
import { asRecord, asText, withField } from '../../workflows/values';
import { SecretHeaderHint } from './secret-header-hint';

const BODY_LABELS: Record<(typeof httpBodyTypes)[number], string> = {
  none: 'No body',
  json: 'JSON',
  text: 'Text',
  form: 'Form (URL-encoded)',
};

export function HttpStepForm({ index, config, onChange }: StepFormProps) {
  const { readOnly } = useEditor();
  const path = ['definition', 'steps', index, 'config'] as const;
  const at = (...rest: (string | number)[]): IssuePath => [...path, ...rest];
  const where = (field: string) => `Step ${index + 1} · ${field}`;
  const set = (key: string, value: unknown) => onChange(withField(config, key, value));

  const body = asRecord(config.body);
  const bodyType = asText(body.type, config.body === undefined ? 'none' : '');
  const retry = asRecord(config.retry);
  const setRetry = (key: string, value: unknown) => set('retry', withField(retry, key, value));
  const auth = asRecord(config.auth);
  const credentialId = auth.type === 'credential' ? asText(auth.credentialId) : undefined;
  const authWith = (id: string | undefined) =>
    id ? { type: 'credential', credentialId: id } : { type: 'none' };

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

      <Section title="Authentication">
        <EditorField
          path={at('auth', 'credentialId')}
          label="Credential"
          helperText="Sent as a Bearer token, Basic auth or the header it names; never shown in the execution log."
        >
          <CredentialPicker
            types={httpStepType.auth.types}
            value={credentialId}
            optional
            disabled={readOnly}
            onChange={(id) => set('auth', authWith(id))}
          />
        </EditorField>
      </Section>

      <Section title="Headers">
        <KeyValueEditor
          path={at('headers')}
          value={config.headers}
          onChange={(headers) => set('headers', headers)}
          noun="header"
          namePlaceholder="X-Source"
          where={where('headers')}
        />
        <SecretHeaderHint
          headers={config.headers}
          usesCredential={credentialId !== undefined}
          onMoved={(header, id) =>
            onChange(
              withField(
                withField(config, 'headers', withField(asRecord(config.headers), header, undefined)),
                'auth',
                authWith(id),
              ),
            )
          }
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
          <FieldError path={at('body')} anchor />
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

const HTTP_FIELDS = new Set(['method', 'url', 'timeoutMs', 'failOnHttpError']);
const RETRY_FIELDS = new Set(['attempts', 'backoff', 'delayMs']);

/** The input of this form that shows a problem at `path` inside the config, if it has one. */
export function httpIssueField(path: IssuePath, config: Record<string, unknown>): IssuePath | undefined {
  const [key, first, second] = path;
  if (typeof key !== 'string') return undefined;
  if (HTTP_FIELDS.has(key)) return [key];
  // One input for the whole auth: the credential picker.
  if (key === 'auth') return ['auth', 'credentialId'];
  // A header or query row is named by its key.
  if (key === 'headers' || key === 'query') return first === undefined ? [key] : [key, String(first)];
  if (key === 'retry') return typeof first === 'string' && RETRY_FIELDS.has(first) ? [key, first] : [key];
  if (key === 'body') {
    if (first === 'type') return ['body', 'type'];
    if (first !== 'value') return ['body'];
    // Form bodies have a row per field; JSON and text bodies are one editor.
    const bodyType = isRecord(config.body) ? config.body.type : undefined;
    return bodyType === 'form' && second !== undefined
      ? ['body', 'value', String(second)]
      : ['body', 'value'];
  }
  return undefined;
}
