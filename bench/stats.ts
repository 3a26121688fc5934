/** What the benchmark reads back from the database: the executions' own timestamps and counts. */
import type { Sql } from '../server/src/db/client';
import { round } from './procs';

/** Timestamps go to Postgres as ISO text: postgres.js cannot bind a Date where it infers another type. */
export const ts = (date: Date) => date.toISOString();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits until no execution of this phase is queued or running and no new one has appeared for a
 * second (the web process may still be writing requests that arrived just before the load generator
 * stopped). Gives up when the backlog has not shrunk for `stallMs` (a lost job would otherwise hang
 * the benchmark) or after `maxMs`.
 *
 * Counting in the database costs it tens of milliseconds once a phase has many rows, which would
 * show up in the CPU figures, so between counts this watches the target's delivery counter: every
 * pending execution delivers once, so the database is asked again only when enough deliveries
 * arrived (or every 2 s, for executions past their delivery or failing before it).
 */
export async function waitDrained(
  sql: Sql,
  options: {
    userId: string;
    since: Date;
    maxMs: number;
    stallMs?: number;
    deliveries?: () => Promise<number>;
  },
): Promise<{ drained: boolean; pending: number; waitedMs: number }> {
  const started = performance.now();
  const stallMs = options.stallMs ?? 30_000;
  let best = Number.POSITIVE_INFINITY;
  let lastProgress = performance.now();
  let lastTotal = -1;
  let stableSince = performance.now();
  for (;;) {
    const [row] = await sql<{ pending: number; total: number }[]>`
      select count(*) filter (where status in ('queued', 'running'))::int as pending, count(*)::int as total
      from executions where user_id = ${options.userId} and created_at >= ${ts(options.since)}`;
    const pending = row?.pending ?? 0;
    const total = row?.total ?? 0;
    const now = performance.now();
    if (total !== lastTotal) {
      lastTotal = total;
      stableSince = now;
    }
    const waitedMs = Math.round(now - started);
    if (pending === 0 && now - stableSince >= 1000) return { drained: true, pending, waitedMs };
    if (pending < best) {
      best = pending;
      lastProgress = now;
    }
    if ((pending > 0 && now - lastProgress > stallMs) || waitedMs > options.maxMs) {
      return { drained: false, pending, waitedMs };
    }
    if (pending > 0 && options.deliveries) {
      const needed = (await options.deliveries()) + pending;
      const until = performance.now() + 2_000;
      while (performance.now() < until && (await options.deliveries()) < needed) await sleep(100);
    } else {
      await sleep(250);
    }
  }
}

export interface EndToEnd {
  /** Executions created since the load started. */
  created: number;
  /** How many of them reached each status. */
  byStatus: Record<string, number>;
  /** Finished inside the load window, per second of it. */
  finishedDuringLoadPerSec: number;
  /** Median of the whole seconds of the load window after the first (the ramp-up). */
  sustainedPerSecMedian: number;
  perSecond: number[];
  /** From the end of the load to the last execution's finished_at. */
  drainSeconds: number;
  /** created / (last finished_at − load start). */
  overallPerSec: number;
  stepRows: number;
}

export async function endToEnd(sql: Sql, loadStart: Date, loadEnd: Date): Promise<EndToEnd> {
  // Epoch milliseconds, not timestamps: Drizzle switches the shared client's date parsing off.
  const [totals] = await sql<{ created: number; last_ms: number | null; steps: number }[]>`
    select count(*)::int as created, (extract(epoch from max(finished_at)) * 1000)::float8 as last_ms,
      (select count(*)::int from execution_steps s join executions e on e.id = s.execution_id
        where e.created_at >= ${ts(loadStart)}) as steps
    from executions where created_at >= ${ts(loadStart)}`;
  const statuses = await sql<{ status: string; n: number }[]>`
    select status, count(*)::int as n from executions where created_at >= ${ts(loadStart)} group by status`;
  const windowSeconds = (loadEnd.getTime() - loadStart.getTime()) / 1000;
  const buckets = await sql<{ s: number; n: number }[]>`
    select floor(extract(epoch from finished_at - ${ts(loadStart)}::timestamptz))::int as s, count(*)::int as n
    from executions
    where finished_at >= ${ts(loadStart)} and finished_at < ${ts(loadEnd)}
    group by 1 order by 1`;
  const perSecond = Array.from(
    { length: Math.floor(windowSeconds) },
    (_, i) => buckets.find((b) => b.s === i)?.n ?? 0,
  );
  const finishedDuringLoad = buckets.reduce((sum, b) => sum + b.n, 0);
  const steady = perSecond.slice(1);
  const last = totals?.last_ms != null ? new Date(Number(totals.last_ms)) : null;
  const created = totals?.created ?? 0;
  return {
    created,
    byStatus: Object.fromEntries(statuses.map((s) => [s.status, s.n])),
    finishedDuringLoadPerSec: round(finishedDuringLoad / windowSeconds, 0),
    sustainedPerSecMedian: median(steady.length > 0 ? steady : perSecond),
    perSecond,
    drainSeconds: last ? round(Math.max(0, (last.getTime() - loadEnd.getTime()) / 1000), 2) : 0,
    overallPerSec: last ? round(created / ((last.getTime() - loadStart.getTime()) / 1000), 0) : 0,
    stepRows: totals?.steps ?? 0,
  };
}

export interface LatencyStats {
  count: number;
  /** webhook accepted (created_at) → finished_at, ms */
  endToEnd: Percentiles;
  /** created_at → started_at: time in the queue until a worker claimed it */
  queueWait: Percentiles;
  /** started_at → finished_at: running the steps and writing their rows */
  run: Percentiles;
}

export interface Percentiles {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export async function latencyStats(sql: Sql, since: Date): Promise<LatencyStats> {
  const [row] = await sql<
    {
      n: number;
      e2e: number[] | null;
      e2e_max: number | null;
      queue: number[] | null;
      queue_max: number | null;
      run: number[] | null;
      run_max: number | null;
    }[]
  >`
    with t as (
      select extract(epoch from finished_at - created_at) * 1000 as e2e,
             extract(epoch from started_at - created_at) * 1000 as queue,
             extract(epoch from finished_at - started_at) * 1000 as run
      from executions where created_at >= ${ts(since)} and finished_at is not null
    )
    select count(*)::int as n,
      to_json(percentile_cont(array[0.5, 0.9, 0.99]) within group (order by e2e)) as e2e, max(e2e) as e2e_max,
      to_json(percentile_cont(array[0.5, 0.9, 0.99]) within group (order by queue)) as queue, max(queue) as queue_max,
      to_json(percentile_cont(array[0.5, 0.9, 0.99]) within group (order by run)) as run, max(run) as run_max
    from t`;
  const pct = (values: number[] | null | undefined, max: number | null | undefined): Percentiles => ({
    p50: round(Number(values?.[0] ?? 0), 1),
    p90: round(Number(values?.[1] ?? 0), 1),
    p99: round(Number(values?.[2] ?? 0), 1),
    max: round(Number(max ?? 0), 1),
  });
  return {
    count: row?.n ?? 0,
    endToEnd: pct(row?.e2e, row?.e2e_max),
    queueWait: pct(row?.queue, row?.queue_max),
    run: pct(row?.run, row?.run_max),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
