import { type ExecutionStatus, isTerminalStatus } from '@automateos/shared';
import type { ExecutionDetail, ExecutionStep } from './types';

type DefinitionStep = ExecutionDetail['definition']['steps'][number];

/**
 * One entry of the step timeline: a step that ran (with its log), or a step of the definition that
 * has not: `running` is the one the worker is on now, `waiting` the ones after it, and `not-run`
 * the ones a failure or a filter skipped.
 */
export type TimelineStep =
  | { state: 'ran'; stepId: string; name: string; type: string; log: ExecutionStep }
  | { state: 'running' | 'waiting' | 'not-run'; stepId: string; name: string; type: string };

/** The steps of the execution's definition snapshot, in order, each with its log if it ran. */
export function timelineSteps(
  definitionSteps: readonly Pick<DefinitionStep, 'id' | 'name' | 'type'>[],
  logs: readonly ExecutionStep[],
  status: ExecutionStatus,
): TimelineStep[] {
  const logById = new Map(logs.map((log) => [log.stepId, log]));
  const finished = isTerminalStatus(status);
  let runningShown = false;
  const entries: TimelineStep[] = definitionSteps.map((step) => {
    const log = logById.get(step.id);
    if (log) return { state: 'ran', stepId: step.id, name: log.name, type: log.type, log };
    let state: 'running' | 'waiting' | 'not-run' = 'not-run';
    if (!finished) {
      state = status === 'running' && !runningShown ? 'running' : 'waiting';
      runningShown = true;
    }
    return { state, stepId: step.id, name: step.name, type: step.type };
  });
  // A log whose step is missing from the snapshot should not happen; shown at the end rather than lost.
  const known = new Set(definitionSteps.map((step) => step.id));
  for (const log of logs) {
    if (!known.has(log.stepId)) {
      entries.push({ state: 'ran', stepId: log.stepId, name: log.name, type: log.type, log });
    }
  }
  return entries;
}
