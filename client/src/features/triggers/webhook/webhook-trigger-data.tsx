import { webhookTriggerDataSchema } from '@automateos/shared';
import { Badge, HStack, Stack, Text } from '@chakra-ui/react';
import { formatExact } from '../../../lib/relative-time';
import { JsonSection } from '../../executions/step-timeline';
import type { TriggerDataViewProps } from '../registry';

/** The request that started the execution: method, path, when, and its body, query and headers. */
export function WebhookTriggerData({ data }: TriggerDataViewProps) {
  const parsed = webhookTriggerDataSchema.safeParse(data);
  if (!parsed.success) return <JsonSection title="Data" value={data} />;
  const trigger = parsed.data;
  const queryCount = Object.keys(trigger.query).length;
  const headerCount = Object.keys(trigger.headers).length;
  return (
    <>
      <HStack gap="2" wrap="wrap" fontSize="sm">
        <Badge colorPalette="purple" variant="subtle">
          {trigger.method}
        </Badge>
        <Text fontFamily="mono" fontSize="xs" truncate>
          {trigger.path}
        </Text>
        {trigger.receivedAt && (
          <Text color="fg.muted" fontSize="xs">
            received {formatExact(new Date(trigger.receivedAt))}
          </Text>
        )}
      </HStack>
      <Stack gap="1">
        <JsonSection title="Body" value={trigger.body} />
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
      </Stack>
    </>
  );
}
