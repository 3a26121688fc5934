import { HStack, Stack, Text } from '@chakra-ui/react';
import { CopyButton } from '../../../components/copy-button';
import { curlExample, sampleRequest } from '../../../lib/webhook-example';
import type { Workflow } from '../../workflows/workflow-api';
import { CurlExample } from './curl-example';
import { isWebhookMethod } from './webhook-trigger-form';

/** The webhook URL and a ready-to-paste curl that sends what the workflow's expressions read. */
export function WebhookInstructions({ workflow }: { workflow: Workflow }) {
  const { webhookUrl } = workflow;
  const { trigger } = workflow.definition;
  if (!webhookUrl || trigger.type !== 'webhook') return null;
  const method = isWebhookMethod(trigger.config.method) ? trigger.config.method : 'POST';
  return (
    <Stack gap="3" textAlign="start" w="full" maxW="2xl">
      <Stack gap="1">
        <Text fontSize="sm" fontWeight="medium">
          Webhook URL {method === 'ANY' ? '(any method)' : `(${method})`}
        </Text>
        <HStack gap="1" borderWidth="1px" rounded="l2" bg="bg.subtle" ps="3" pe="1" py="1">
          <Text fontFamily="mono" flex="1" truncate fontSize="xs" data-testid="webhook-url">
            {webhookUrl}
          </Text>
          <CopyButton text={webhookUrl} label="Copy webhook URL" variant="ghost" size="xs" />
        </HStack>
      </Stack>
      <CurlExample curl={curlExample(webhookUrl, method, sampleRequest(workflow.definition))} />
    </Stack>
  );
}
