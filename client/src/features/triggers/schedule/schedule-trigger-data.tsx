import { describeCron, scheduleTriggerDataSchema } from '@automateos/shared';
import { Badge, HStack, Stack, Text } from '@chakra-ui/react';
import { formatDuration } from '../../executions/format';
import { JsonSection } from '../../executions/step-timeline';
import type { TriggerDataViewProps } from '../registry';
import { formatInZone, formatUtc } from './format';

/** The slot the execution was for, when the scheduler started it, and a catch-up's missed slots. */
export function ScheduleTriggerData({ data, mode }: TriggerDataViewProps) {
  const parsed = scheduleTriggerDataSchema.safeParse(data);
  if (!parsed.success) return <JsonSection title="Data" value={data} />;
  const { scheduledFor, firedAt, timezone, cron, catchUp } = parsed.data;
  const late = Date.parse(firedAt) - Date.parse(scheduledFor);
  return (
    <Stack gap="2" fontSize="sm">
      <HStack gap="2" wrap="wrap">
        <Badge colorPalette="teal" variant="subtle">
          {mode === 'manual' ? 'Run now' : mode === 'rerun' ? 'Re-run' : catchUp ? 'Catch-up' : 'Scheduled'}
        </Badge>
        <Text>
          Slot <strong>{formatInZone(scheduledFor, timezone)}</strong>
        </Text>
        <Text color="fg.muted">{formatUtc(scheduledFor, timezone)}</Text>
      </HStack>
      <Text color="fg.muted">
        {describeCron(cron)} ({timezone}) · <code>{cron}</code>
        {mode === 'schedule' &&
          ` · started by the scheduler ${formatDuration(Math.max(0, late))} after the slot`}
      </Text>
      {mode === 'schedule' && catchUp && (
        <Text>
          Runs once for {catchUp.more ? `more than ${catchUp.missedSlots}` : catchUp.missedSlots} slot
          {catchUp.missedSlots === 1 && !catchUp.more ? '' : 's'} missed while no scheduler was running, from{' '}
          {formatInZone(catchUp.firstMissed, timezone)} to this one.
        </Text>
      )}
    </Stack>
  );
}
