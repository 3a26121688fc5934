import { Box, Code, HStack, Stack, Text } from '@chakra-ui/react';
import { CopyButton } from '../../../components/copy-button';
import { curlExample } from '../../../lib/webhook-example';
import type { Workflow } from '../../workflows/workflow-api';
import { isWebhookMethod } from './webhook-trigger-form';

/** The webhook URL and a ready-to-paste curl command. */
export function WebhookInstructions({ workflow }: { workflow: Workflow }) {
  const { webhookUrl } = workflow;
  const { trigger } = workflow.definition;
  if (!webhookUrl || trigger.type !== 'webhook') return null;
  const method = isWebhookMethod(trigger.config.method) ? trigger.config.method : 'POST';
  const curl = curlExample(webhookUrl, method);
  return (
    <Stack gap="3" textAlign="start" w="full" maxW="2xl">
      <Stack gap="1">
        <Text fontSize="sm" fontWeight="medium">
          Webhook URL {method === 'ANY' ? '(any method)' : `(${method})`}
        </Text>
        <HStack gap="1" borderWidth="1px" rounded="l2" bg="bg.subtle" ps="3" pe="1" py="1">
          <Code variant="plain" flex="1" truncate fontSize="xs" data-testid="webhook-url">
            {webhookUrl}
          </Code>
          <CopyButton text={webhookUrl} label="Copy webhook URL" variant="ghost" size="xs" />
        </HStack>
      </Stack>
      <Stack gap="1">
        <Text fontSize="sm" fontWeight="medium">
          Try it from a terminal
        </Text>
        <Box position="relative" borderWidth="1px" rounded="l2" bg="bg.subtle">
          <Box position="absolute" top="1" right="1">
            <CopyButton text={curl} label="Copy curl command" variant="ghost" size="xs" />
          </Box>
          <Box as="pre" fontFamily="mono" fontSize="xs" px="3" py="2" pe="10" overflowX="auto">
            {curl}
          </Box>
        </Box>
      </Stack>
    </Stack>
  );
}
