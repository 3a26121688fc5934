import { type WebhookMethod, webhookMethods } from '@automateos/shared';
import { Alert, Box, Button, Card, Code, Field, HStack, Input, Stack, Switch, Text } from '@chakra-ui/react';
import { useMutation } from '@tanstack/react-query';
import { memo, useState } from 'react';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyButton } from '../../../components/copy-button';
import { RefreshIcon, WebhookIcon } from '../../../components/icons';
import { toaster } from '../../../components/ui/toaster';
import { useTRPC } from '../../../lib/trpc';
import { curlExample } from '../../../lib/webhook-example';
import { asRecord, asText } from '../values';
import { useSetActive, useWorkflowCache, type Workflow } from '../workflow-api';
import { useEditor, useFieldError } from './editor-context';
import { EditorField, Select } from './fields';
import { fieldKey } from './issues';

const METHOD_LABELS: Record<WebhookMethod, string> = {
  GET: 'GET',
  POST: 'POST',
  PUT: 'PUT',
  PATCH: 'PATCH',
  DELETE: 'DELETE',
  ANY: 'ANY method',
};

interface TriggerCardProps {
  workflow: Workflow;
  trigger: Record<string, unknown>;
  /** The version the editor's draft is based on; switching and a new URL move it on. */
  version: number;
}

export const TriggerCard = memo(function TriggerCard({ workflow, trigger, version }: TriggerCardProps) {
  const { dispatch, readOnly } = useEditor();
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  const setActive = useSetActive();
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
  const triggerError = useFieldError(['definition', 'trigger']);

  const config = asRecord(trigger.config);
  const method = asText(config.method, 'POST');
  const exampleMethod = webhookMethods.includes(method as WebhookMethod) ? (method as WebhookMethod) : 'POST';
  const curl = curlExample(workflow.webhookUrl, exampleMethod);
  const active = setActive.isPending ? setActive.variables.active : workflow.active;

  return (
    <Card.Root
      as="section"
      aria-label="Trigger"
      size="sm"
      variant="outline"
      data-field={fieldKey(['definition', 'trigger'])}
    >
      <Card.Header pb="3" borderBottomWidth="1px" bg="bg.subtle" roundedTop="l3">
        <HStack justify="space-between" gap="3" wrap="wrap">
          <HStack gap="3">
            <Box
              w="8"
              h="8"
              rounded="l2"
              display="grid"
              placeItems="center"
              bg="purple.subtle"
              color="purple.fg"
            >
              <WebhookIcon boxSize="4" />
            </Box>
            <Stack gap="0">
              <Text fontWeight="semibold">When a webhook is called</Text>
              <Text fontSize="xs" color="fg.muted">
                Trigger · Webhook
              </Text>
            </Stack>
          </HStack>
          <Switch.Root
            colorPalette="green"
            checked={active}
            disabled={setActive.isPending}
            onCheckedChange={({ checked }) =>
              setActive.mutate(
                { id: workflow.id, active: checked },
                {
                  onSuccess: (updated) =>
                    dispatch({ type: 'versionBumped', from: version, to: updated.version }),
                },
              )
            }
          >
            <Switch.HiddenInput role="switch" />
            <Switch.Control />
            <Switch.Label>Active</Switch.Label>
          </Switch.Root>
        </HStack>
      </Card.Header>
      <Card.Body pt="4">
        <Stack gap="4">
          {triggerError && (
            <Alert.Root status="error" size="sm">
              <Alert.Indicator />
              <Alert.Description>{triggerError}</Alert.Description>
            </Alert.Root>
          )}
          {!active && (
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
                  value={workflow.webhookUrl}
                  onFocus={(event) => event.currentTarget.select()}
                />
                <CopyButton size="sm" text={workflow.webhookUrl} label="Copy webhook URL" />
                <Button
                  size="sm"
                  variant="outline"
                  onClick={() => setConfirmingRegenerate(true)}
                  flexShrink={0}
                >
                  <RefreshIcon />
                  Regenerate URL
                </Button>
              </HStack>
              <Field.HelperText>
                Anyone with this URL can start the workflow: treat it like a password.
              </Field.HelperText>
            </Field.Root>
          </HStack>
          <Stack gap="1.5">
            <HStack justify="space-between">
              <Text fontSize="sm" fontWeight="medium">
                Try it from a terminal
              </Text>
              <CopyButton size="xs" variant="ghost" text={curl} label="Copy curl command">
                Copy
              </CopyButton>
            </HStack>
            <Code
              as="pre"
              display="block"
              p="3"
              fontSize="xs"
              whiteSpace="pre-wrap"
              wordBreak="break-all"
              aria-label="curl example"
            >
              {curl}
            </Code>
          </Stack>
        </Stack>
      </Card.Body>
      <ConfirmDialog
        open={confirmingRegenerate}
        title="Regenerate the webhook URL?"
        confirmLabel="Regenerate URL"
        destructive
        pending={regenerate.isPending}
        onCancel={() => setConfirmingRegenerate(false)}
        onConfirm={() => regenerate.mutate({ id: workflow.id })}
      >
        <Text>
          The workflow gets a new URL, and requests to the current one will answer 404 from now on. Update
          every service that calls it.
        </Text>
      </ConfirmDialog>
    </Card.Root>
  );
});
