/**
 * How a live event changes what the pages already hold (TanStack Query's cached answers), so they
 * render exactly as after a refetch. Events can arrive more than once and a little out of order
 * (a resumed stream repeats, a catch-up after an outage reads newer rows than the notifications that
 * follow it): an execution never moves back to an earlier status, and a step is replaced by its id.
 */
import { type ExecutionStatus, isStatusBehind } from '@automateos/shared';
import type { InfiniteData } from '@tanstack/react-query';
import type { ExecutionDetail, ExecutionStep, ExecutionSummary } from '../executions/types';

type Progress = { status: ExecutionStatus; attempt: number };

/** Whether `next` describes the execution at least as far along as `current`. */
export function isUpToDate(next: Progress, current: Progress): boolean {
  if (isStatusBehind(next.status, current.status)) return false;
  // A retry after a crash runs again as `running` with a higher attempt; a lower one is stale.
  return !(next.status === current.status && next.attempt < current.attempt);
}

/** The execution page's copy with the summary's status, error and timing, when it is newer. */
export function withSummary(detail: ExecutionDetail, summary: ExecutionSummary): ExecutionDetail {
  if (summary.id !== detail.id || !isUpToDate(summary, detail)) return detail;
  const { status, error, attempt, startedAt, finishedAt, durationMs } = summary;
  return { ...detail, status, error, attempt, startedAt, finishedAt, durationMs };
}

/** The execution page's copy with a recorded step added (or replaced), in step order. */
export function withStep(detail: ExecutionDetail, step: ExecutionStep): ExecutionDetail {
  if (step.executionId !== detail.id) return detail;
  const steps = detail.steps.filter((existing) => existing.stepId !== step.stepId);
  steps.push(step);
  steps.sort((a, b) => a.position - b.position);
  return { ...detail, steps };
}

type Page = { items: ExecutionSummary[]; nextCursor: string | null };
export type ExecutionPages = InfiniteData<Page, string | null>;

/** Newest first, as the API orders them: by creation time, then id. */
const isBefore = (a: ExecutionSummary, b: ExecutionSummary) =>
  a.createdAt.getTime() !== b.createdAt.getTime()
    ? a.createdAt.getTime() > b.createdAt.getTime()
    : a.id > b.id;

/**
 * A workflow's history with the execution in it: changed in place if it is listed, otherwise inserted
 * where it belongs (a new one on top), unless it falls beyond the pages loaded so far ("Load more"
 * brings it) or the list shows another status only.
 */
export function withListedExecution(
  data: ExecutionPages,
  summary: ExecutionSummary,
  filter: { workflowId?: string | undefined; status?: ExecutionStatus | undefined },
): ExecutionPages {
  if (filter.workflowId && summary.workflowId !== filter.workflowId) return data;
  for (const [index, page] of data.pages.entries()) {
    const at = page.items.findIndex((item) => item.id === summary.id);
    if (at === -1) continue;
    const current = page.items[at];
    if (!current || !isUpToDate(summary, current)) return data;
    const items = page.items.with(at, summary);
    return { ...data, pages: data.pages.with(index, { ...page, items }) };
  }
  if (filter.status && summary.status !== filter.status) return data;
  for (const [index, page] of data.pages.entries()) {
    const at = page.items.findIndex((item) => isBefore(summary, item));
    const last = index === data.pages.length - 1;
    if (at === -1 && !(last && page.nextCursor === null)) continue;
    const items = page.items.toSpliced(at === -1 ? page.items.length : at, 0, summary);
    return { ...data, pages: data.pages.with(index, { ...page, items }) };
  }
  return data;
}

type LastExecution = { id: string; status: ExecutionStatus; createdAt: Date } | null;

/** A workflow's "last execution" on the dashboard, when the summary is that one or a later one. */
export function withLastExecution<Item extends { id: string; lastExecution: LastExecution }>(
  items: Item[],
  summary: ExecutionSummary,
): Item[] {
  const at = items.findIndex((item) => item.id === summary.workflowId);
  const item = items[at];
  if (!item) return items;
  const last = item.lastExecution;
  const later =
    !last ||
    summary.createdAt.getTime() > last.createdAt.getTime() ||
    (summary.createdAt.getTime() === last.createdAt.getTime() && summary.id > last.id);
  const same = last?.id === summary.id && !isStatusBehind(summary.status, last.status);
  if (!later && !same) return items;
  const lastExecution = { id: summary.id, status: summary.status, createdAt: summary.createdAt };
  return items.with(at, { ...item, lastExecution });
}
