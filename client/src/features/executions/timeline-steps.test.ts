import { describe, expect, it } from 'vitest';
import { parsePayload } from './test-payload';
import { timelineSteps } from './timeline-steps';
import type { ExecutionStep } from './types';

const definition = [
  { id: 'notify', name: 'Notify billing', type: 'http' as const },
  { id: 'only-pro', name: 'Only pro users', type: 'filter' as const },
  { id: 'thank', name: 'Say thanks', type: 'http' as const },
];

const log = (stepId: string, status: ExecutionStep['status']): ExecutionStep => ({
  executionId: '7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f',
  stepId,
  name: stepId,
  position: 0,
  type: 'http',
  status,
  input: {},
  missing: [],
  output: {},
  error: null,
  startedAt: new Date(0),
  finishedAt: new Date(1),
  durationMs: 1,
  attempt: 1,
});

describe('timelineSteps', () => {
  it('marks the steps after a filter as not run once the execution is finished', () => {
    const steps = timelineSteps(
      definition,
      [log('notify', 'succeeded'), log('only-pro', 'filtered')],
      'filtered',
    );
    expect(steps.map((step) => [step.stepId, step.state])).toEqual([
      ['notify', 'ran'],
      ['only-pro', 'ran'],
      ['thank', 'not-run'],
    ]);
  });

  it('shows the step after the last log as running, and the rest as waiting', () => {
    const running = timelineSteps(definition, [log('notify', 'succeeded')], 'running');
    expect(running.map((step) => step.state)).toEqual(['ran', 'running', 'waiting']);
    const queued = timelineSteps(definition, [], 'queued');
    expect(queued.map((step) => step.state)).toEqual(['waiting', 'waiting', 'waiting']);
  });

  it('keeps a log whose step is not in the snapshot', () => {
    const steps = timelineSteps(
      definition.slice(0, 1),
      [log('notify', 'succeeded'), log('gone', 'failed')],
      'failed',
    );
    expect(steps.map((step) => step.stepId)).toEqual(['notify', 'gone']);
  });
});

describe('parsePayload', () => {
  it('accepts any JSON value', () => {
    expect(parsePayload('{"a": [1, true, null]}')).toEqual({ ok: true, value: { a: [1, true, null] } });
    expect(parsePayload('"text"')).toEqual({ ok: true, value: 'text' });
  });

  it('says why anything else is refused', () => {
    expect(parsePayload('   ')).toEqual({ ok: false, message: 'Enter a JSON value, e.g. {}' });
    const result = parsePayload('{a: 1}');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/^Not valid JSON: /);
  });
});
