import { describe, expect, it } from 'vitest';
import { parsePayload } from './test-run-button';
import { asFilterOutput, httpSummary, operatorLabel, takesRight, timelineSteps } from './timeline-steps';
import type { ExecutionStep } from './types';

const definition = [
  { id: 'notify', name: 'Notify billing', type: 'http' as const },
  { id: 'only-pro', name: 'Only pro users', type: 'filter' as const },
  { id: 'thank', name: 'Say thanks', type: 'http' as const },
];

const log = (stepId: string, status: ExecutionStep['status']): ExecutionStep => ({
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

describe('asFilterOutput', () => {
  it('reads a Filter step output', () => {
    const output = {
      passed: false,
      match: 'all',
      conditions: [{ left: 'free', op: 'equals', right: 'pro', caseSensitive: true, result: false }],
    };
    expect(asFilterOutput(output)).toEqual(output);
  });

  it('keeps a missing left-hand value missing', () => {
    const parsed = asFilterOutput({ passed: false, conditions: [{ op: 'exists', result: false }] });
    expect(parsed?.conditions[0]).toEqual({ left: undefined, op: 'exists', right: undefined, result: false });
  });

  it('refuses anything else', () => {
    expect(asFilterOutput(null)).toBeNull();
    expect(asFilterOutput({ passed: 'yes', conditions: [] })).toBeNull();
    expect(asFilterOutput({ passed: true, conditions: [{ op: 'equals' }] })).toBeNull();
  });
});

describe('operators', () => {
  it('names known operators and passes unknown ones through', () => {
    expect(operatorLabel('equals')).toBe('is equal to');
    expect(operatorLabel('toString')).toBe('toString');
    expect(takesRight('equals')).toBe(true);
    expect(takesRight('exists')).toBe(false);
  });
});

describe('httpSummary', () => {
  it('reads method, url and status when they are there', () => {
    expect(httpSummary({ method: 'POST', url: 'https://x.test' }, { status: 201 })).toEqual({
      method: 'POST',
      url: 'https://x.test',
      status: 201,
    });
    expect(httpSummary(null, 'text')).toEqual({});
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
