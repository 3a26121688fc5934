import { describe, expect, it } from 'vitest';
import type { ExecutionDetail, ExecutionStep, ExecutionSummary } from '../executions/types';
import { type ExecutionPages, withLastExecution, withListedExecution, withStep, withSummary } from './cache';

const WORKFLOW = '0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';

function summary(id: string, overrides: Partial<ExecutionSummary> = {}): ExecutionSummary {
  return {
    id,
    workflowId: WORKFLOW,
    workflowName: 'Billing',
    status: 'queued',
    mode: 'webhook',
    error: null,
    attempt: 0,
    createdAt: new Date('2026-12-01T10:00:00Z'),
    startedAt: null,
    finishedAt: null,
    scheduledFor: null,
    durationMs: null,
    ...overrides,
  };
}

const detail = (overrides: Partial<ExecutionDetail> = {}): ExecutionDetail => ({
  ...summary('e1'),
  trigger: { method: 'POST', path: '/hooks/x', query: {}, headers: {}, body: {} },
  receivedBody: null,
  definition: { schemaVersion: 1, trigger: { type: 'webhook', config: { method: 'POST' } }, steps: [] },
  workflowVersion: 1,
  draft: false,
  rerunOf: null,
  steps: [],
  ...overrides,
});

const step = (stepId: string, position: number): ExecutionStep => ({
  executionId: 'e1',
  stepId,
  name: stepId,
  position,
  type: 'http',
  status: 'succeeded',
  input: {},
  missing: [],
  output: { status: 200 },
  error: null,
  startedAt: new Date(0),
  finishedAt: new Date(5),
  durationMs: 5,
  attempt: 1,
});

/** Loaded pages; `more`: the server has older ones not loaded yet. */
const pages = (items: ExecutionSummary[][], more = false): ExecutionPages => ({
  pages: items.map((page, index) => ({
    items: page,
    nextCursor: index < items.length - 1 || more ? 'more' : null,
  })),
  pageParams: items.map((_, index) => (index === 0 ? null : 'more')),
});
const ids = (data: ExecutionPages) => data.pages.map((page) => page.items.map((item) => item.id));
const at = (minute: number) => new Date(`2026-12-01T10:${String(minute).padStart(2, '0')}:00Z`);

describe('the execution page', () => {
  it('takes status, error and timing from a newer summary, never an older one', () => {
    const running = withSummary(detail(), summary('e1', { status: 'running', attempt: 1, startedAt: at(1) }));
    expect(running).toMatchObject({ status: 'running', attempt: 1, startedAt: at(1) });
    const failed = withSummary(
      running,
      summary('e1', { status: 'failed', attempt: 1, error: { message: 'boom' }, finishedAt: at(2) }),
    );
    expect(failed).toMatchObject({ status: 'failed', error: { message: 'boom' }, finishedAt: at(2) });
    // A late "running" (a catch-up read before the finish) does not undo it.
    expect(withSummary(failed, summary('e1', { status: 'running', attempt: 1 }))).toBe(failed);
    // A retry after a crash: running again with a higher attempt, not a lower one.
    const retried = withSummary(running, summary('e1', { status: 'running', attempt: 2 }));
    expect(retried.attempt).toBe(2);
    expect(withSummary(retried, summary('e1', { status: 'running', attempt: 1 }))).toBe(retried);
    expect(withSummary(running, summary('other', { status: 'succeeded' }))).toBe(running);
  });

  it('adds each recorded step in step order, once', () => {
    const second = withStep(detail(), step('second', 1));
    const both = withStep(second, step('first', 0));
    expect(both.steps.map((s) => s.stepId)).toEqual(['first', 'second']);
    expect(withStep(both, step('first', 0)).steps).toHaveLength(2);
  });
});

describe("a workflow's history", () => {
  it('puts a new execution on top and changes a listed one in place', () => {
    const list = pages([[summary('b', { createdAt: at(2) }), summary('a', { createdAt: at(1) })]]);
    const added = withListedExecution(list, summary('c', { createdAt: at(3) }), { workflowId: WORKFLOW });
    expect(ids(added)).toEqual([['c', 'b', 'a']]);
    const changed = withListedExecution(added, summary('b', { createdAt: at(2), status: 'succeeded' }), {});
    expect(ids(changed)).toEqual([['c', 'b', 'a']]);
    expect(changed.pages[0]?.items[1]?.status).toBe('succeeded');
    expect(withListedExecution(changed, summary('b', { createdAt: at(2), status: 'running' }), {})).toBe(
      changed,
    );
  });

  it('keeps another workflow, another status filter and not yet loaded pages out', () => {
    const list = pages([[summary('b', { createdAt: at(2) })], [summary('a', { createdAt: at(1) })]], true);
    expect(withListedExecution(list, summary('x', { workflowId: 'other' }), { workflowId: WORKFLOW })).toBe(
      list,
    );
    expect(withListedExecution(list, summary('c', { createdAt: at(3) }), { status: 'failed' })).toBe(list);
    // Older than everything loaded while more pages exist: "Load more" will bring it.
    expect(withListedExecution(list, summary('old', { createdAt: at(0) }), {})).toBe(list);
    // Between the loaded ones: where it belongs.
    const middle = withListedExecution(list, summary('m', { createdAt: at(1), id: 'm' }), {});
    expect(ids(middle)).toEqual([['b'], ['m', 'a']]);
  });

  it('fills an empty list', () => {
    expect(ids(withListedExecution(pages([[]]), summary('first'), {}))).toEqual([['first']]);
    // Older than everything, but everything is loaded: at the end.
    const all = pages([[summary('b', { createdAt: at(2) })]]);
    expect(ids(withListedExecution(all, summary('old', { createdAt: at(0) }), {}))).toEqual([['b', 'old']]);
  });
});

describe("the dashboard's last execution", () => {
  const items = [
    {
      id: WORKFLOW,
      name: 'Billing',
      lastExecution: { id: 'b', status: 'running' as const, createdAt: at(2) },
    },
    { id: 'other', name: 'Other', lastExecution: null },
  ];

  it('shows a later execution, or the same one further along', () => {
    const later = withLastExecution(items, summary('c', { createdAt: at(3) }));
    expect(later[0]?.lastExecution).toEqual({ id: 'c', status: 'queued', createdAt: at(3) });
    const finished = withLastExecution(items, summary('b', { createdAt: at(2), status: 'succeeded' }));
    expect(finished[0]?.lastExecution?.status).toBe('succeeded');
    expect(withLastExecution(items, summary('b', { createdAt: at(2), status: 'queued' }))).toBe(items);
    expect(withLastExecution(items, summary('a', { createdAt: at(1), status: 'failed' }))).toBe(items);
    expect(withLastExecution(items, summary('x', { workflowId: 'gone' }))).toBe(items);
  });
});
