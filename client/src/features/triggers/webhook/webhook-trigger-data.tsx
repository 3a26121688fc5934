import { webhookTriggerDataSchema } from '@automateos/shared';
import { Badge, Box, HStack, Stack, Text } from '@chakra-ui/react';
import { CopyButton } from '../../../components/copy-button';
import { formatExact } from '../../../lib/relative-time';
import { formatJsonText } from '../../executions/json-tokens';
import { JsonSection, Section } from '../../executions/step-timeline';
import type { TriggerDataViewProps } from '../registry';

const isJson = (contentType: string | undefined) => {
  const type = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
};

/**
 * The request that started the execution: method, path, when, and its body, query and headers. A
 * JSON body is laid out from the text that arrived, so its keys are shown in the order they were
 * sent; the bytes as received are one click away. A test run says it was one.
 */
export function WebhookTriggerData({ data, mode, receivedBody }: TriggerDataViewProps) {
  const parsed = webhookTriggerDataSchema.safeParse(data);
  if (!parsed.success) return <JsonSection title="Data" value={data} />;
  const trigger = parsed.data;
  const queryCount = Object.keys(trigger.query).length;
  const headerCount = Object.keys(trigger.headers).length;
  const asSent =
    receivedBody && isJson(trigger.headers['content-type']) ? formatJsonText(receivedBody.text) : undefined;
  return (
    <>
      <HStack gap="2" wrap="wrap" fontSize="sm">
        {mode === 'manual' ? (
          <Badge variant="subtle">Test payload</Badge>
        ) : (
          <>
            <Badge colorPalette="purple" variant="subtle">
              {trigger.method}
            </Badge>
            <Text fontFamily="mono" fontSize="xs" truncate>
              {trigger.path}
            </Text>
          </>
        )}
        {trigger.receivedAt && (
          <Text color="fg.muted" fontSize="xs">
            {mode === 'manual' ? 'run' : 'received'} {formatExact(new Date(trigger.receivedAt))}
          </Text>
        )}
      </HStack>
      <Stack gap="1">
        <JsonSection title="Body" value={trigger.body} text={asSent} />
        {receivedBody && <ReceivedBody body={receivedBody} />}
        {mode !== 'manual' && (
          <>
            <JsonSection
              title="Query"
              value={trigger.query}
              defaultOpen={queryCount > 0}
              summary={queryCount === 0 ? 'none' : `${queryCount} parameter${queryCount === 1 ? '' : 's'}`}
            />
            <JsonSection
              title="Headers"
              value={trigger.headers}
              defaultOpen={false}
              summary={`${headerCount} header${headerCount === 1 ? '' : 's'}`}
            />
          </>
        )}
      </Stack>
    </>
  );
}

/** The body's bytes as they arrived, as text (bytes that are not UTF-8 show as �). */
function ReceivedBody({ body }: { body: { text: string; bytes: number } }) {
  return (
    <Section
      title="Body as received"
      summary={`${body.bytes.toLocaleString()} ${body.bytes === 1 ? 'byte' : 'bytes'}`}
      defaultOpen={false}
    >
      <Box position="relative" borderWidth="1px" rounded="l2" bg="bg.subtle" mt="1" mb="2">
        <Box position="absolute" top="1" right="1">
          <CopyButton text={body.text} label="Copy the body as received" variant="ghost" size="2xs" />
        </Box>
        <Box
          as="pre"
          fontFamily="mono"
          fontSize="xs"
          px="3"
          py="2"
          pe="9"
          whiteSpace="pre-wrap"
          wordBreak="break-all"
          maxH="40rem"
          overflowY="auto"
          data-testid="received-body"
        >
          {body.text}
        </Box>
      </Box>
    </Section>
  );
}
