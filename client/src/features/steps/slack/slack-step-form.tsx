import { slackStepType } from '@automateos/shared';
import { Grid, Stack } from '@chakra-ui/react';
import { CredentialPicker } from '../../credentials/credential-picker';
import { useEditor } from '../../workflows/editor/editor-context';
import { ExpressionInput } from '../../workflows/editor/expression-input';
import type { IssuePath } from '../../workflows/editor/field-path';
import { EditorField, Section, type StepFormProps } from '../../workflows/editor/fields';
import { JsonValueEditor } from '../../workflows/editor/json-value-editor';
import { asText, withField } from '../../workflows/values';
import { RetryFields, retryIssueField } from '../retry-fields';

export function SlackStepForm({ index, config, onChange }: StepFormProps) {
  const { readOnly } = useEditor();
  const at = (...rest: (string | number)[]): IssuePath => ['definition', 'steps', index, 'config', ...rest];
  const set = (key: string, value: unknown) => onChange(withField(config, key, value));
  const where = `Step ${index + 1} · blocks`;

  return (
    <Stack gap="5">
      <EditorField
        path={at('credentialId')}
        label="Slack credential"
        helperText="A bot token posts to any channel the bot is in; an incoming webhook posts to its own channel."
      >
        <CredentialPicker
          types={slackStepType.auth.types}
          value={asText(config.credentialId) || undefined}
          optional={false}
          disabled={readOnly}
          onChange={(id) => set('credentialId', id ?? '')}
        />
      </EditorField>

      <Grid templateColumns={{ base: '1fr', md: '1fr 1fr' }} gap="3">
        <EditorField
          path={at('channel')}
          label="Channel"
          helperText="An id (C0123456789) or a name (#general); empty with a webhook."
        >
          <ExpressionInput
            size="sm"
            value={asText(config.channel)}
            placeholder="#general"
            readOnly={readOnly}
            onChange={(channel) => set('channel', channel)}
          />
        </EditorField>
        <EditorField
          path={at('threadTs')}
          label="Reply in thread"
          optional
          helperText="The ts of the parent message."
        >
          <ExpressionInput
            size="sm"
            fontFamily="mono"
            value={asText(config.threadTs)}
            placeholder="{{ steps.notify.ts }}"
            readOnly={readOnly}
            onChange={(ts) => set('threadTs', ts === '' ? undefined : ts)}
          />
        </EditorField>
      </Grid>

      <EditorField
        path={at('text')}
        label="Message"
        helperText="Slack's mrkdwn: *bold*, _italic_, <https://…|links>."
      >
        <ExpressionInput
          multiline
          value={asText(config.text)}
          placeholder="New order {{ trigger.body.id }} from {{ trigger.body.customer }}"
          readOnly={readOnly}
          onChange={(text) => set('text', text)}
        />
      </EditorField>

      <Section title="Blocks (optional)">
        <EditorField
          path={at('blocks')}
          label="Block Kit JSON"
          hideLabel
          helperText="A list of blocks from the Block Kit Builder; the message text is then the notification fallback."
        >
          <JsonValueEditor
            path={at('blocks')}
            aria-label="Block Kit JSON"
            value={config.blocks ?? []}
            onChange={(blocks) =>
              set('blocks', Array.isArray(blocks) && blocks.length === 0 ? undefined : blocks)
            }
            where={where}
          />
        </EditorField>
      </Section>

      <RetryFields
        at={at}
        value={config.retry}
        onChange={(retry) => set('retry', retry)}
        when="Retries happen on network errors, 5xx and rate limits (after the wait Slack asks for)."
      />
    </Stack>
  );
}

const SLACK_FIELDS = new Set(['credentialId', 'channel', 'threadTs', 'text', 'blocks']);

export function slackIssueField(path: IssuePath): IssuePath | undefined {
  const [key] = path;
  if (typeof key !== 'string') return undefined;
  if (key === 'retry') return retryIssueField(path);
  return SLACK_FIELDS.has(key) ? [key] : undefined;
}
