import type { WebhookMethod } from '@automateos/shared';
import { Box, Clipboard, Code, HStack, IconButton, Stack, Text } from '@chakra-ui/react';
import { CheckIcon, CopyIcon } from './icons';

/** A shell-safe single-quoted string. */
const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/** A `curl` command that triggers the workflow, with a small JSON body when the method takes one. */
export function curlCommand(webhookUrl: string, method: WebhookMethod): string {
  if (method === 'GET') return `curl ${quote(`${webhookUrl}?hello=world`)}`;
  const verb = method === 'ANY' ? 'POST' : method;
  return [
    `curl -X ${verb} ${quote(webhookUrl)}`,
    `  -H 'Content-Type: application/json'`,
    `  -d '{"hello": "world"}'`,
  ].join(' \\\n');
}

function CopyButton({ value, label }: { value: string; label: string }) {
  return (
    <Clipboard.Root value={value}>
      <Clipboard.Trigger asChild>
        <IconButton variant="ghost" size="xs" aria-label={label}>
          <Clipboard.Indicator copied={<CheckIcon />}>
            <CopyIcon />
          </Clipboard.Indicator>
        </IconButton>
      </Clipboard.Trigger>
    </Clipboard.Root>
  );
}

/** The webhook URL and a ready-to-paste curl command. */
export function WebhookInstructions({ webhookUrl, method }: { webhookUrl: string; method: WebhookMethod }) {
  const curl = curlCommand(webhookUrl, method);
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
          <CopyButton value={webhookUrl} label="Copy webhook URL" />
        </HStack>
      </Stack>
      <Stack gap="1">
        <Text fontSize="sm" fontWeight="medium">
          Try it from a terminal
        </Text>
        <Box position="relative" borderWidth="1px" rounded="l2" bg="bg.subtle">
          <Box position="absolute" top="1" right="1">
            <CopyButton value={curl} label="Copy curl command" />
          </Box>
          <Box as="pre" fontFamily="mono" fontSize="xs" px="3" py="2" pe="10" overflowX="auto">
            {curl}
          </Box>
        </Box>
      </Stack>
    </Stack>
  );
}
