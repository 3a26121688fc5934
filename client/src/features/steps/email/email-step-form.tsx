import { emailStepType } from '@automateos/shared';
import { Grid, Stack } from '@chakra-ui/react';
import { CredentialPicker } from '../../credentials/credential-picker';
import { useEditor } from '../../workflows/editor/editor-context';
import { ExpressionInput } from '../../workflows/editor/expression-input';
import type { IssuePath } from '../../workflows/editor/field-path';
import { EditorField, Section, type StepFormProps } from '../../workflows/editor/fields';
import { asText, withField } from '../../workflows/values';
import { RetryFields, retryIssueField } from '../retry-fields';

const ADDRESS_FIELDS = [
  { key: 'to', label: 'To', placeholder: 'ada@example.com, {{ trigger.body.email }}' },
  { key: 'cc', label: 'Cc', placeholder: 'team@example.com' },
  { key: 'bcc', label: 'Bcc', placeholder: 'archive@example.com' },
  { key: 'replyTo', label: 'Reply-to', placeholder: 'support@example.com' },
] as const;

export function EmailStepForm({ index, config, onChange }: StepFormProps) {
  const { readOnly } = useEditor();
  const at = (...rest: (string | number)[]): IssuePath => ['definition', 'steps', index, 'config', ...rest];
  // An optional field left blank is not saved, so the schema does not check an empty list.
  const set = (key: string, value: unknown) =>
    onChange(withField(config, key, value === '' && key !== 'to' && key !== 'subject' ? undefined : value));

  return (
    <Stack gap="5">
      <EditorField
        path={at('credentialId')}
        label="SMTP credential"
        helperText="The mail server and the sender (From) come from the credential."
      >
        <CredentialPicker
          types={emailStepType.auth.types}
          value={asText(config.credentialId) || undefined}
          optional={false}
          disabled={readOnly}
          onChange={(id) => set('credentialId', id ?? '')}
        />
      </EditorField>

      <Section title="Recipients">
        <Grid templateColumns={{ base: '1fr', md: '1fr 1fr' }} gap="3">
          {ADDRESS_FIELDS.map(({ key, label, placeholder }) => (
            <EditorField key={key} path={at(key)} label={label} optional={key !== 'to'}>
              <ExpressionInput
                size="sm"
                value={asText(config[key])}
                placeholder={placeholder}
                readOnly={readOnly}
                onChange={(value) => set(key, value)}
              />
            </EditorField>
          ))}
        </Grid>
      </Section>

      <Section title="Message">
        <EditorField path={at('subject')} label="Subject">
          <ExpressionInput
            size="sm"
            value={asText(config.subject)}
            placeholder="Order {{ trigger.body.id }} shipped"
            readOnly={readOnly}
            onChange={(value) => set('subject', value)}
          />
        </EditorField>
        <EditorField path={at('text')} label="Text body" optional>
          <ExpressionInput
            multiline
            value={asText(config.text)}
            readOnly={readOnly}
            onChange={(value) => set('text', value)}
          />
        </EditorField>
        <EditorField
          path={at('html')}
          label="HTML body"
          optional
          helperText="Sent beside the text body; mail apps show one."
        >
          <ExpressionInput
            multiline
            fontFamily="mono"
            value={asText(config.html)}
            placeholder="<p>Hello {{ trigger.body.name }}</p>"
            readOnly={readOnly}
            onChange={(value) => set('html', value)}
          />
        </EditorField>
      </Section>

      <RetryFields
        at={at}
        value={config.retry}
        onChange={(retry) => set('retry', retry)}
        when="Retries happen when the server cannot be reached or answers 4xx (try again later)."
      />
    </Stack>
  );
}

const EMAIL_FIELDS = new Set(['credentialId', 'to', 'cc', 'bcc', 'replyTo', 'subject', 'text', 'html']);

export function emailIssueField(path: IssuePath): IssuePath | undefined {
  const [key] = path;
  if (typeof key !== 'string') return undefined;
  if (key === 'retry') return retryIssueField(path);
  return EMAIL_FIELDS.has(key) ? [key] : undefined;
}
