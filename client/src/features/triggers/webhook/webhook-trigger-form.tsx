import { type WebhookMethod, webhookMethods } from '@automateos/shared';
import { Box, Button, Field, HStack, Input, Stack, Text } from '@chakra-ui/react';
import { useMutation } from '@tanstack/react-query';
import { use, useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyButton } from '../../../components/copy-button';
import { RefreshIcon } from '../../../components/icons';
import { toaster } from '../../../components/ui/toaster';
import { useTRPC } from '../../../lib/trpc';
import { curlExample, lastRequest, sampleRequest } from '../../../lib/webhook-example';
import { useEditor } from '../../workflows/editor/editor-context';
import type { IssuePath } from '../../workflows/editor/field-path';
import { FieldSamplesContext } from '../../workflows/editor/field-samples';
import { EditorField, Select } from '../../workflows/editor/fields';
import { asRecord, asText } from '../../workflows/values';
import { useWorkflowCache } from '../../workflows/workflow-api';
import type { TriggerFormProps } from '../registry';
import { CurlExample } from './curl-example';
import { WebhookFrontDoorForm } from './webhook-front-door-form';

const METHOD_LABELS: Record<WebhookMethod, string> = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
  ANY: 'ANY method',
};

export const isWebhookMethod = (value: unknown): value is WebhookMethod =>
  webhookMethods.some((method) => method === value);

/** The method it accepts, its URL (copy, regenerate) and a ready-to-paste curl. */
export function WebhookTriggerForm({ workflow, definition, config, active, version }: TriggerFormProps) {
  const { dispatch, readOnly } = useEditor();
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  const [confirmingRegenerate, setConfirmingRegenerate] = useState(false);
  const regenerate = useMutation(
    trpc.workflows.regenerateWebhook.mutationOptions({
      onSuccess: (updated) => {
        dispatch({ type: 'versionBumped', from: version, to: updated.version });
        void cache.stored(updated);
        setConfirmingRegenerate(false);
        toaster.success({
          title: 'New webhook URL',
          description: 'The old URL no longer starts this workflow.',
        });
      },
      onError: (error) =>
        toaster.error({ title: 'Could not change the webhook URL', description: error.message }),
    }),
  );

  const samples = use(FieldSamplesContext);
  const method = asText(config.method, 'POST');
  // Until the saved workflow has one (new, or the trigger was just switched to a webhook), no URL yet.
  const url = workflow?.webhookUrl ?? null;
  // What the steps read, filled in from the last request where there is one.
  const expected = sampleRequest(definition);
  const sample = samples.trigger ? lastRequest(samples.trigger.fields, expected) : expected;
  const curl = url ? curlExample(url, isWebhookMethod(method) ? method : 'POST', sample) : undefined;

  return (
    <Stack gap="4">
      {workflow && !active && (
        <Text fontSize="sm" color="fg.muted">
          Switched off: the URL answers 404 until you switch the workflow on. Test runs work either way.
        </Text>
      )}
      <HStack gap="3" align="start" wrap={{ base: 'wrap', md: 'nowrap' }}>
        <Box w={{ base: 'full', md: '40' }} flexShrink={0}>
          <EditorField
            path={['definition', 'trigger', 'config', 'method']}
            label="Method"
            helperText="Other methods get a 404."
          >
            <Select
              value={method}
              options={webhookMethods.map((value) => ({ value, label: METHOD_LABELS[value] }))}
              onChange={(value) =>
                dispatch({
                  type: 'updateTrigger',
                  update: (current) => ({
                    ...current,
                    config: { ...asRecord(current.config), method: value },
                  }),
                })
              }
              disabled={readOnly}
            />
          </EditorField>
        </Box>
        <Field.Root flex="1" minW="0">
          <Field.Label>Webhook URL</Field.Label>
          <HStack gap="2" width="full">
            <Input
              size="sm"
              readOnly
              fontFamily="mono"
              value={url ?? 'Save the workflow to get its URL'}
              onFocus={(event) => event.currentTarget.select()}
            />
            {url && <CopyButton size="sm" text={url} label="Copy webhook URL" />}
            {url && (
              <Button
                size="sm"
                variant="outline"
                onClick={() => setConfirmingRegenerate(true)}
                flexShrink={0}
              >
                <RefreshIcon />
                Regenerate URL
              </Button>
            )}
          </HStack>
          <Field.HelperText>
            Anyone with this URL can start the workflow: treat it like a password.
          </Field.HelperText>
        </Field.Root>
      </HStack>
      {curl && <CurlExample curl={curl} />}
      <WebhookFrontDoorForm config={config} />
      <ConfirmDialog
        open={confirmingRegenerate}
        title="Regenerate the webhook URL?"
        confirmLabel="Regenerate URL"
        destructive
        pending={regenerate.isPending}
        onCancel={() => setConfirmingRegenerate(false)}
        onConfirm={() => workflow && regenerate.mutate({ id: workflow.id })}
      >
        <Text>
          The workflow gets a new URL, and requests to the current one will answer 404 from now on. Update
          every service that calls it.
        </Text>
      </ConfirmDialog>
    </Stack>
  );
}

/** The input of this form that shows a problem at `path` inside the trigger's config, if it has one. */
export function webhookIssueField(path: IssuePath): IssuePath | undefined {
  if (path[0] === 'method') return ['method'];
  // Signature, idempotency and response fields are shown where they are.
  return path[0] === 'signature' || path[0] === 'idempotency' || path[0] === 'response'
    ? path.slice(0, 2)
    : undefined;
}
