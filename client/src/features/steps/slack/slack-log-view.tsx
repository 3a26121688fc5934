import { slackOutputSchema } from '@automateos/shared';
import { HStack, Link, Text } from '@chakra-ui/react';
import type { StepLogViewProps } from '../registry';

/** Where the message went, and a link to it when Slack gave one. */
export function SlackLogView({ log }: StepLogViewProps) {
  const posted = slackOutputSchema.safeParse(log.output);
  if (!posted.success) return null;
  const { channel, ts, permalink, via } = posted.data;
  return (
    <HStack gap="2" fontSize="sm" minW="0">
      <Text>
        {via === 'webhook' ? 'Posted through the incoming webhook' : `Posted in ${channel ?? 'Slack'}`}
      </Text>
      {ts && (
        <Text fontFamily="mono" fontSize="xs" color="fg.muted">
          ts {ts}
        </Text>
      )}
      {permalink && (
        <Link href={permalink} target="_blank" rel="noreferrer" colorPalette="blue">
          Open the message in Slack
        </Link>
      )}
    </HStack>
  );
}
