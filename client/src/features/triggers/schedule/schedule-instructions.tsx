import { Stack, Text } from '@chakra-ui/react';
import type { Workflow } from '../../workflows/workflow-api';
import { formatInZone } from './format';
import { scheduleSummary } from './schedule-trigger-form';

/** When the first scheduled execution will come, or what starts it. */
export function ScheduleInstructions({ workflow }: { workflow: Workflow }) {
  const { trigger } = workflow.definition;
  if (trigger.type !== 'schedule') return null;
  return (
    <Stack gap="1" fontSize="sm" textAlign="center">
      <Text>Runs {scheduleSummary(trigger.config)}.</Text>
      <Text color="fg.muted">
        {workflow.schedule
          ? `The first run comes ${formatInZone(workflow.schedule.nextRunAt, trigger.config.timezone)}; this page shows it as it starts.`
          : 'Switch the workflow on to start the schedule, or use "Run now".'}
      </Text>
    </Stack>
  );
}
