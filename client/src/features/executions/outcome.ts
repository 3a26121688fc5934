import { type ExecutionMode, isTriggerType, triggerTypes } from '@automateos/shared';

/** How lists and pages name a mode: the trigger's title for trigger modes ("Webhook"), else what it was. */
export function modeLabel(mode: ExecutionMode): string {
  if (mode === 'manual') return 'Test run';
  if (mode === 'rerun') return 'Re-run';
  return isTriggerType(mode) ? triggerTypes[mode].title : mode;
}

/**
 * What a filtered execution's page says, from what happened: which filter stopped it, and whether
 * any step was skipped because of it (none, when the filter was the last step).
 */
export function filteredOutcome(
  definitionSteps: readonly { id: string }[],
  logs: readonly { stepId: string; name: string; status: string }[],
): { title: string; description: string } {
  const filter = logs.find((log) => log.status === 'filtered');
  const position = definitionSteps.findIndex((step) => step.id === filter?.stepId);
  const after = position === -1 ? 0 : definitionSteps.length - position - 1;
  return {
    title: filter ? `Filtered by “${filter.name}”` : 'Filtered',
    description:
      after === 0
        ? 'Its conditions were not met, so the execution ended there. It was the last step: nothing was skipped.'
        : `Its conditions were not met, so the execution ended there: the ${after === 1 ? 'step' : `${after} steps`} after it did not run.`,
  };
}
