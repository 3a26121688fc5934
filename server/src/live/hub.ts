/**
 * Live updates in a web process. One LISTEN connection (listener.ts) receives the database's
 * notifications (an execution as the change left it, a step's ids; each with a position), and the
 * hub fans them out in process: to every open
 * subscription (a browser tab's SSE stream, the CLI following executions) and to server-side waiters
 * (`waitForFinish`). Subscriptions never add database connections.
 *
 * Notifications are handled in order, a batch at a time: the step rows a batch names are read once,
 * for the subscriptions that want them, and each subscription receives its events in commit order, each
 * tagged with a position (its tracked() id). A client that reconnects sends the last one back and
 * gets what changed since; when the LISTEN connection itself comes back after a database restart, the
 * hub reads what changed while it was gone and hands that out the same way.
 */
import type { ExecutionStatus } from '@automateos/shared';
import { isTerminalStatus } from '@automateos/shared';
import { TRPCError, type TrackedEnvelope, tracked } from '@trpc/server';
import { inArray } from 'drizzle-orm';
import type { Db } from '../db/client';
import { executions } from '../db/schema';
import type { Logger } from '../log';
import { notFound, ServiceError } from '../services/errors';
import { withDuration } from '../services/executions';
import { type Listener, startListener } from './listener';
import {
  type ExecutionNotification,
  LIVE_CHANNEL,
  type LiveNotification,
  parseNotification,
} from './notifications';
import {
  allStepsOf,
  atPosition,
  changedSince,
  currentPosition,
  type ExecutionSummary,
  errorsOf,
  ownsWorkflow,
  readSummaries,
  type StepRecord,
  statusOf,
  stepsOf,
  summariesOf,
} from './reads';

export type LiveEvent =
  /** The execution as a list shows it: as a change left it (in a catch-up, as it is now). */
  | { type: 'execution'; execution: ExecutionSummary }
  /** A step was recorded, with its input, output and timing. */
  | { type: 'step'; executionId: string; step: StepRecord }
  /** The workflow's webhook deliveries changed: read them again (one workflow's list only). */
  | { type: 'deliveries'; workflowId: string }
  /** Read your lists again: a fresh subscription, or more changed than is worth sending one by one. */
  | { type: 'reset' };

export type LiveStream = AsyncGenerator<TrackedEnvelope<LiveEvent>, void, unknown>;

export interface LiveHubOptions {
  db: Db;
  databaseUrl: string;
  limits: { perProcess: number; perUser: number };
  log?: Pick<Logger, 'info' | 'warn' | 'error'>;
  /** First wait before the LISTEN connection is retried after it drops. */
  reconnectDelayMs?: number;
  /** How often an open subscription checks that its session is still signed in. */
  sessionCheckMs?: number;
  /** How long LISTEN is kept after the last subscription or waiter has gone. */
  idleMs?: number;
}

interface WatchOptions {
  userId: string;
  signal?: AbortSignal | undefined;
  /** False once the session behind the subscription has been signed out. */
  stillSignedIn: () => Promise<boolean>;
}

type Filter = { kind: 'execution'; executionId: string } | { kind: 'list'; workflowId: string | undefined };

/** More backlog than this for one subscription is sent as a `reset` instead. */
const MAX_QUEUED_EVENTS = 500;
/** More changed rows than this since a client's position: it reads its lists again instead. */
const MAX_BACKFILL_ROWS = 500;
/** LISTEN kept this long after the last subscription: a page reload or a click to another page reuses it. */
const IDLE_MS = 30_000;

class Subscriber {
  private queue: [position: number, event: LiveEvent][] = [];
  /** Events were dropped (a client not reading); the highest position among them. */
  private overflowedAt: number | null = null;
  private ended: TRPCError | 'aborted' | null = null;
  private wake: (() => void) | null = null;

  constructor(
    readonly userId: string,
    readonly filter: Filter,
  ) {}

  push(position: number, event: LiveEvent) {
    if (this.ended) return;
    if (this.overflowedAt !== null || this.queue.length >= MAX_QUEUED_EVENTS) {
      this.queue = [];
      this.overflowedAt = Math.max(this.overflowedAt ?? 0, position);
    } else {
      this.queue.push([position, event]);
    }
    this.notify();
  }

  /** Events that come before anything queued so far (what a (re)subscription read). */
  prepend(events: [number, LiveEvent][]) {
    this.queue.unshift(...events);
  }

  end(reason: TRPCError | 'aborted') {
    this.ended ??= reason;
    this.notify();
  }

  private notify() {
    this.wake?.();
    this.wake = null;
  }

  take(): [number, LiveEvent] | 'ended' | TRPCError | null {
    if (this.ended === 'aborted') return 'ended';
    if (this.overflowedAt !== null) {
      const position = this.overflowedAt;
      this.overflowedAt = null;
      return [position, { type: 'reset' }];
    }
    return this.queue.shift() ?? this.ended;
  }

  /** Resolves when there is something to take, or after `ms`. */
  waitForMore(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

interface Waiter {
  settle(status: ExecutionStatus | null): void;
  /** Reads the row again (after a gap in notifications). */
  recheck(): void;
}

type Work = { kind: 'notifications'; batch: LiveNotification[] } | { kind: 'resync' };

export class LiveHub {
  private readonly db: Db;
  private listener: Listener | undefined;
  private closed = false;
  private readonly subscribers = new Set<Subscriber>();
  private readonly byUser = new Map<string, Set<Subscriber>>();
  private readonly byExecution = new Map<string, Set<Subscriber>>();
  private readonly waiters = new Map<string, Set<Waiter>>();
  private pending: LiveNotification[] = [];
  private resyncQueued = false;
  private working = false;
  /** Every change older than this has been handed to the subscriptions that wanted it. */
  private done = 0;
  /** Set while changes may have been missed (LISTEN lost, a batch failed): the next resync starts there. */
  private resyncFrom: number | null = null;
  private retryTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  /** Callers waiting for LISTEN to be active, not yet subscribed: LISTEN is not dropped under them. */
  private arriving = 0;
  /** Resolves once LISTEN is active and the hub knows its position; subscriptions wait for it. */
  private ready: Promise<void> = Promise.resolve();
  readonly stats = { notifications: 0, resyncs: 0, backfilledEvents: 0, listens: 0 };

  constructor(private readonly options: LiveHubOptions) {
    this.db = options.db;
  }

  /**
   * Opens the LISTEN connection if it is not open (it connects and reconnects by itself). Only while
   * someone here watches: every change in the database is a notification, and a web process nobody
   * watches would read and drop each one (a few percent of its CPU at full ingest).
   */
  private listen() {
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    if (this.listener || this.closed) return;
    this.stats.listens++;
    let markReady: () => void = () => {};
    this.ready = new Promise((resolve) => {
      markReady = resolve;
    });
    // A fresh start: the first position is read again once LISTEN is active.
    this.resyncFrom = null;
    const listener: Listener = startListener({
      databaseUrl: this.options.databaseUrl,
      channel: LIVE_CHANNEL,
      reconnectDelayMs: this.options.reconnectDelayMs,
      log: this.options.log,
      onNotification: (payload) => this.onNotification(payload),
      // From the moment the connection is lost, changes may be missed: the resync once it is back
      // starts where the hub stood then, whatever live notifications are handled before it.
      onDisconnected: () => {
        this.resyncFrom ??= this.done;
      },
      onConnected: (reconnected) => {
        if (reconnected) this.queueResync();
        else void this.takeFirstPosition(listener, markReady);
      },
    });
    this.listener = listener;
  }

  get listening(): boolean {
    return this.listener?.connected ?? false;
  }

  /** After the last subscription or waiter has gone: LISTEN is closed once the hub has been idle a while. */
  private idleSoon() {
    if (!this.listener || this.idleTimer || !this.idle()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.idle()) return;
      const listener = this.listener;
      this.listener = undefined;
      this.pending = [];
      void listener?.close();
    }, this.options.idleMs ?? IDLE_MS);
    this.idleTimer.unref();
  }

  private idle() {
    return this.subscribers.size === 0 && this.waiters.size === 0 && this.arriving === 0;
  }

  get subscriptionCount(): number {
    return this.subscribers.size;
  }

  /** Ends every subscription with a retryable error (clients reconnect, to another instance if need be). */
  async close() {
    this.closed = true;
    clearTimeout(this.retryTimer);
    clearTimeout(this.idleTimer);
    for (const subscriber of this.subscribers)
      subscriber.end(
        new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'This server is restarting; reconnecting.' }),
      );
    for (const set of this.waiters.values()) for (const waiter of set) waiter.settle(null);
    await this.listener?.close();
  }

  // ---------------------------------------------------------------------------------------------
  // Subscriptions

  /** One execution: its status and each step as it is recorded. Every (re)subscription starts with its current state. */
  async watchExecution(options: WatchOptions & { executionId: string }): Promise<LiveStream> {
    const subscriber = await this.admit(options, { kind: 'execution', executionId: options.executionId });
    try {
      const state = await this.guarded(() =>
        atPosition(this.db, async (position) => {
          const [[summary], steps] = await Promise.all([
            readSummaries(this.db, inArray(executions.id, [options.executionId])),
            allStepsOf(this.db, [options.executionId]),
          ]);
          return summary && summary.userId === options.userId ? { position, summary, steps } : null;
        }),
      );
      if (!state) throw notFound('Execution');
      subscriber.prepend(stateEvents(state.position, state.summary.execution, state.steps));
    } catch (error) {
      this.detach(subscriber);
      throw error;
    }
    return this.stream(subscriber, options);
  }

  /**
   * The account's executions, or one workflow's: each as it is created and whenever it changes. From
   * `from` (a position the client had) it first sends what changed since; without one, a `reset`.
   */
  async watchExecutions(
    options: WatchOptions & { workflowId?: string | undefined; from: number | null },
  ): Promise<LiveStream> {
    const { workflowId, from, userId } = options;
    if (workflowId && !(await this.guarded(() => ownsWorkflow(this.db, userId, workflowId))))
      throw notFound('Workflow');
    const subscriber = await this.admit(options, { kind: 'list', workflowId });
    try {
      const events = await this.guarded(() =>
        atPosition(this.db, async (position) =>
          from === null
            ? resetAt(position)
            : backfillEvents(
                from,
                position,
                await changedSince(this.db, { userId, workflowId, from }, MAX_BACKFILL_ROWS + 1),
              ),
        ),
      );
      this.stats.backfilledEvents += events.length;
      subscriber.prepend(events);
    } catch (error) {
      this.detach(subscriber);
      throw error;
    }
    return this.stream(subscriber, options);
  }

  /**
   * Resolves with the execution's final status once it has finished (at once if it already has), or
   * with null when `signal` aborts or the hub closes first. For server-side consumers that must not
   * poll (a webhook that answers with the workflow's result).
   */
  async waitForFinish(executionId: string, signal?: AbortSignal): Promise<ExecutionStatus | null> {
    if (!(await this.whenListening(signal))) return null;
    return new Promise((resolve, reject) => {
      const done = () => {
        removeFrom(this.waiters, executionId, waiter);
        signal?.removeEventListener('abort', onAbort);
        this.idleSoon();
      };
      const waiter: Waiter = {
        settle: (status) => {
          done();
          resolve(status);
        },
        recheck: () => {
          statusOf(this.db, executionId).then(
            (status) => {
              if (status === undefined) {
                done();
                reject(notFound('Execution'));
              } else if (isTerminalStatus(status)) waiter.settle(status);
            },
            () => {}, // the database is away; the resync once it is back reads it again
          );
        },
      };
      const onAbort = () => waiter.settle(null);
      signal?.addEventListener('abort', onAbort, { once: true });
      addTo(this.waiters, executionId, waiter);
      // Registered first, read second: a finish between the two is seen by one or the other.
      waiter.recheck();
    });
  }

  /**
   * False when `signal` aborts or the hub closes before LISTEN is active. The caller registers its
   * subscription or waiter at once after a true (no await between), so LISTEN is not dropped under it.
   */
  private async whenListening(signal?: AbortSignal, timeoutMs?: number): Promise<boolean> {
    if (this.closed || signal?.aborted) return false;
    this.listen();
    let timer: NodeJS.Timeout | undefined;
    let onAbort = () => {};
    const gaveUp = new Promise<false>((resolve) => {
      onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (timeoutMs !== undefined) timer = setTimeout(onAbort, timeoutMs);
    });
    this.arriving++;
    try {
      return await Promise.race([this.ready.then(() => !this.closed), gaveUp]);
    } finally {
      this.arriving--;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      this.idleSoon();
    }
  }

  private async admit(options: WatchOptions, filter: Filter): Promise<Subscriber> {
    if (!(await this.whenListening(options.signal, 10_000)))
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: 'Live updates are unavailable right now; retrying.',
      });
    const { perProcess, perUser } = this.options.limits;
    if ((this.byUser.get(options.userId)?.size ?? 0) >= perUser)
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `Too many live updates open for this account (at most ${perUser} at once on this server). Close some tabs or windows.`,
      });
    if (this.subscribers.size >= perProcess)
      throw new TRPCError({
        code: 'TOO_MANY_REQUESTS',
        message: `This server has reached its limit of ${perProcess} open live updates; try again shortly.`,
      });
    const subscriber = new Subscriber(options.userId, filter);
    this.subscribers.add(subscriber);
    addTo(this.byUser, options.userId, subscriber);
    if (filter.kind === 'execution') addTo(this.byExecution, filter.executionId, subscriber);
    // Released as soon as the client goes, even if the stream was never read.
    options.signal?.addEventListener(
      'abort',
      () => {
        subscriber.end('aborted');
        this.detach(subscriber);
      },
      { once: true },
    );
    return subscriber;
  }

  private detach(subscriber: Subscriber) {
    if (!this.subscribers.delete(subscriber)) return;
    removeFrom(this.byUser, subscriber.userId, subscriber);
    if (subscriber.filter.kind === 'execution')
      removeFrom(this.byExecution, subscriber.filter.executionId, subscriber);
    this.idleSoon();
  }

  private async *stream(subscriber: Subscriber, options: WatchOptions): LiveStream {
    const checkEvery = this.options.sessionCheckMs ?? 60_000;
    let checkedAt = Date.now();
    try {
      for (;;) {
        if (Date.now() - checkedAt >= checkEvery) {
          checkedAt = Date.now();
          // A database error here is not a sign-out: the stream goes on, the next check decides.
          if (!(await options.stillSignedIn().catch(() => true)))
            throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Sign in to continue.' });
        }
        const next = subscriber.take();
        if (next === 'ended') return;
        if (next instanceof TRPCError) throw next;
        if (next) yield tracked(String(next[0]), next[1]);
        else await subscriber.waitForMore(Math.max(0, checkedAt + checkEvery - Date.now()));
      }
    } finally {
      this.detach(subscriber);
    }
  }

  /** Database trouble while subscribing is "try again", not an internal error. */
  private async guarded<T>(read: () => Promise<T>): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof ServiceError || error instanceof TRPCError) throw error;
      this.options.log?.warn(
        { err: (error as Error).message },
        'live updates: could not read; the client retries',
      );
      throw new TRPCError({
        code: 'SERVICE_UNAVAILABLE',
        message: 'Live updates are unavailable right now; retrying.',
        cause: error,
      });
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Notifications, in order

  private onNotification(payload: string) {
    const notification = parseNotification(payload);
    if (!notification) return;
    this.stats.notifications++;
    if (notification.kind === 'execution') {
      const { id, status } = notification.execution;
      if (isTerminalStatus(status)) for (const waiter of this.waiters.get(id) ?? []) waiter.settle(status);
    }
    this.pending.push(notification);
    this.pump();
  }

  /** Where the hub starts: changes older than this happened before anyone here was listening. */
  private async takeFirstPosition(listener: Listener, markReady: () => void) {
    for (;;) {
      try {
        const position = await currentPosition(this.db);
        if (this.listener !== listener) return; // closed meanwhile, as idle
        this.done = position;
        markReady();
        return;
      } catch {
        if (this.closed || this.listener !== listener) return;
        await new Promise((resolve) => setTimeout(resolve, 1_000));
      }
    }
  }

  private queueResync() {
    this.resyncQueued = true;
    this.pump();
  }

  private pump() {
    if (this.working || this.closed) return;
    this.working = true;
    void (async () => {
      while (!this.closed) {
        const work = this.nextWork();
        if (!work) break;
        try {
          if (work.kind === 'resync') await this.resync();
          else await this.deliver(work.batch);
        } catch (error) {
          this.options.log?.warn(
            { err: (error as Error).message },
            'live updates: could not read the changed rows; catching up shortly',
          );
          this.scheduleRetry();
        }
      }
      this.working = false;
    })();
  }

  /** A queued resync goes first: what was missed comes before what happened since. */
  private nextWork(): Work | null {
    if (this.resyncQueued) {
      this.resyncQueued = false;
      return { kind: 'resync' };
    }
    if (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      return { kind: 'notifications', batch };
    }
    return null;
  }

  /** A batch that failed is caught up by a resync from where the hub stood before it. */
  private scheduleRetry() {
    this.resyncFrom ??= this.done;
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.queueResync();
    }, 1_000);
  }

  private async deliver(batch: LiveNotification[]) {
    // A loop, not Math.max(...): a backlog can hold more notifications than a call takes arguments.
    let maxPosition = 0;
    for (const n of batch) if (n.position > maxPosition) maxPosition = n.position;
    // Executions arrive as the change left them; only step data (and an error too large for a
    // notification) is read from the rows, once per batch, and only when someone here wants it.
    const stepKeys: { executionId: string; stepId: string }[] = [];
    const omittedErrors: string[] = [];
    for (const notification of batch) {
      if (notification.kind === 'delivery') continue;
      if (notification.kind === 'step') {
        if (this.byExecution.has(notification.executionId))
          stepKeys.push({ executionId: notification.executionId, stepId: notification.stepId });
      } else if (notification.errorOmitted && this.wantsExecution(notification)) {
        omittedErrors.push(notification.execution.id);
      }
    }
    const [errors, steps] = await Promise.all([
      omittedErrors.length > 0 ? errorsOf(this.db, omittedErrors) : [],
      stepKeys.length > 0 ? stepsOf(this.db, stepKeys) : [],
    ]);
    const errorOf = new Map(errors.map((row) => [row.id, row.error]));
    const stepOf = new Map(steps.map((step) => [`${step.executionId}/${step.stepId}`, step]));
    for (const notification of batch) {
      if (notification.kind === 'delivery') {
        const { userId, workflowId, position } = notification;
        for (const subscriber of this.byUser.get(userId) ?? [])
          if (subscriber.filter.kind === 'list' && subscriber.filter.workflowId === workflowId)
            subscriber.push(position, { type: 'deliveries', workflowId });
      } else if (notification.kind === 'execution') {
        if (!this.wantsExecution(notification)) continue;
        const { execution, errorOmitted } = notification;
        this.sendExecution(
          notification.position,
          notification.userId,
          withDuration({
            ...execution,
            error: errorOmitted ? (errorOf.get(execution.id) ?? null) : execution.error,
          }),
        );
      } else {
        const step = stepOf.get(`${notification.executionId}/${notification.stepId}`);
        if (!step) continue;
        for (const subscriber of this.byExecution.get(notification.executionId) ?? [])
          subscriber.push(notification.position, { type: 'step', executionId: step.executionId, step });
      }
    }
    this.done = Math.max(this.done, maxPosition);
  }

  private wantsExecution({ userId, execution }: ExecutionNotification): boolean {
    if (this.byExecution.has(execution.id)) return true;
    for (const subscriber of this.byUser.get(userId) ?? []) {
      if (subscriber.filter.kind === 'list' && matches(subscriber.filter, execution.workflowId)) return true;
    }
    return false;
  }

  /** To the owner's subscriptions only (the user id is the row's, as the database announced it). */
  private sendExecution(position: number, userId: string, execution: ExecutionSummary) {
    const event: LiveEvent = { type: 'execution', execution };
    for (const subscriber of this.byUser.get(userId) ?? []) {
      const wanted =
        subscriber.filter.kind === 'list'
          ? matches(subscriber.filter, execution.workflowId)
          : subscriber.filter.executionId === execution.id;
      if (wanted) subscriber.push(position, event);
    }
  }

  /**
   * After notifications may have been missed (the LISTEN connection was down, or a batch failed):
   * every list subscription gets what changed since the hub's position, every execution subscription
   * its execution's current state, and every waiter reads its execution again.
   */
  private async resync() {
    this.stats.resyncs++;
    // Taken now: a connection lost while this runs sets it again, for the resync after it.
    const from = this.resyncFrom ?? this.done;
    this.resyncFrom = null;
    try {
      await this.catchUp(from);
    } catch (error) {
      this.resyncFrom = Math.min(this.resyncFrom ?? from, from);
      throw error;
    }
  }

  private async catchUp(from: number) {
    // Read first: every row read after it shows at least each change older than it.
    const position = await currentPosition(this.db);
    const listUsers = new Set<string>();
    for (const subscriber of this.subscribers)
      if (subscriber.filter.kind === 'list') listUsers.add(subscriber.userId);
    for (const userId of listUsers) {
      const rows = await changedSince(this.db, { userId, from }, MAX_BACKFILL_ROWS + 1);
      for (const subscriber of this.byUser.get(userId) ?? []) {
        if (subscriber.filter.kind !== 'list') continue;
        const { workflowId } = subscriber.filter;
        const mine = rows.filter((row) => matches({ kind: 'list', workflowId }, row.execution.workflowId));
        const events = backfillEvents(from, position, mine);
        this.stats.backfilledEvents += events.length;
        for (const [at, event] of events) subscriber.push(at, event);
      }
    }
    const watched = [...this.byExecution.keys()];
    if (watched.length > 0) {
      const [summaries, steps] = await Promise.all([
        summariesOf(this.db, watched),
        allStepsOf(this.db, watched),
      ]);
      for (const { userId, execution } of summaries) {
        const mine = steps.filter((step) => step.executionId === execution.id);
        const events = stateEvents(position, execution, mine);
        for (const subscriber of this.byExecution.get(execution.id) ?? []) {
          if (subscriber.userId !== userId) continue;
          for (const [at, event] of events) subscriber.push(at, event);
        }
      }
    }
    for (const set of this.waiters.values()) for (const waiter of set) waiter.recheck();
    this.done = Math.max(this.done, position);
  }
}

function matches(filter: Extract<Filter, { kind: 'list' }>, workflowId: string): boolean {
  return filter.workflowId === undefined || filter.workflowId === workflowId;
}

function resetAt(position: number): [number, LiveEvent][] {
  return [[position, { type: 'reset' }]];
}

/**
 * Rows changed since `from`, read at `position`: each event carries `from` (resuming from it again
 * repeats, never skips) except the last, which carries `position`. Too many: a reset instead.
 */
function backfillEvents(
  from: number,
  position: number,
  rows: { execution: ExecutionSummary }[],
): [number, LiveEvent][] {
  if (rows.length > MAX_BACKFILL_ROWS) return resetAt(position);
  return rows.map((row, index) => [
    index === rows.length - 1 ? position : from,
    { type: 'execution', execution: row.execution },
  ]);
}

function stateEvents(
  position: number,
  execution: ExecutionSummary,
  steps: StepRecord[],
): [number, LiveEvent][] {
  return [
    [position, { type: 'execution', execution }],
    ...steps.map((step): [number, LiveEvent] => [
      position,
      { type: 'step', executionId: execution.id, step },
    ]),
  ];
}

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key) ?? new Set<V>();
  set.add(value);
  map.set(key, set);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V) {
  const set = map.get(key);
  set?.delete(value);
  if (set?.size === 0) map.delete(key);
}
