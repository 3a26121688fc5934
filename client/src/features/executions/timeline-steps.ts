import { type ExecutionStatus, filterOperators, isTerminalStatus } from '@automateos/shared';
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

export interface FilterCondition {
  left: unknown;
  op: string;
  right?: unknown;
  caseSensitive?: boolean;
  result: boolean;
}

export interface FilterOutput {
  passed: boolean;
  match?: string;
  conditions: FilterCondition[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A Filter step's output, checked: the log is stored JSON, so its shape is not taken on trust. */
export function asFilterOutput(output: unknown): FilterOutput | null {
  if (!isRecord(output) || typeof output.passed !== 'boolean' || !Array.isArray(output.conditions)) {
    return null;
  }
  const conditions: FilterCondition[] = [];
  for (const condition of output.conditions) {
    if (!isRecord(condition) || typeof condition.op !== 'string' || typeof condition.result !== 'boolean') {
      return null;
    }
    conditions.push({
      left: condition.left,
      op: condition.op,
      right: condition.right,
      result: condition.result,
      ...(typeof condition.caseSensitive === 'boolean' ? { caseSensitive: condition.caseSensitive } : {}),
    });
  }
  return {
    passed: output.passed,
    conditions,
    ...(typeof output.match === 'string' ? { match: output.match } : {}),
  };
}

/** "is equal to" for `equals`; an operator this version does not know is shown as it is. */
export function operatorLabel(op: string): string {
  return Object.hasOwn(filterOperators, op) ? filterOperators[op as keyof typeof filterOperators].label : op;
}

/** Whether the operator compares with a right-hand value (unary ones like `exists` do not). */
export function takesRight(op: string): boolean {
  return !Object.hasOwn(filterOperators, op) || !filterOperators[op as keyof typeof filterOperators].unary;
}

export interface HttpSummary {
  method?: string;
  url?: string;
  status?: number;
}

/** Method, URL and response status of an HTTP step, for its one-line summary. */
export function httpSummary(input: unknown, output: unknown): HttpSummary {
  const summary: HttpSummary = {};
  if (isRecord(input)) {
    if (typeof input.method === 'string') summary.method = input.method;
    if (typeof input.url === 'string') summary.url = input.url;
  }
  if (isRecord(output) && typeof output.status === 'number') summary.status = output.status;
  return summary;
}
