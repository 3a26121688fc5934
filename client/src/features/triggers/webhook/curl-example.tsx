import { Code, HStack, Stack, Text } from '@chakra-ui/react';
import { CopyButton } from '../../../components/copy-button';

/** A ready-to-paste `curl`, wrapped to fit, with its copy button beside the heading (never over the text). */
export function CurlExample({ curl }: { curl: string }) {
  return (
    <Stack gap="1.5" w="full">
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
        textAlign="start"
        aria-label="curl example"
      >
        {curl}
      </Code>
    </Stack>
  );
}
