/**
 * Reading live streams in tests: a log of what a subscription received (through the router caller, or
 * over real SSE with the tRPC client) and waits with a deadline for what should arrive next.
 */
import { apiInputTransformer, type ExecutionStatus, isTerminalStatus } from '@automateos/shared';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { LiveEvent } from '../src/live/hub';
import type { AppRouter } from '../src/trpc/root';

export interface Received {
  /** The event's position (its tracked() id). */
  id: string;
  event: LiveEvent;
  at: number;
}

export class LiveLog {
  readonly received: Received[] = [];
  error: unknown;
  ended = false;
  private wake = new Set<() => void>();

  push(id: string, event: LiveEvent) {
    this.received.push({ id, event, at: Date.now() });
    this.notify();
  }

  fail(error: unknown) {
    this.error = error;
    this.notify();
  }

  end() {
    this.ended = true;
    this.notify();
  }

  private notify() {
    for (const wake of this.wake) wake();
  }

  /** Waits until `condition` holds for what was received; the error names what was awaited. */
  async waitFor(what: string, condition: (received: Received[]) => boolean, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!condition(this.received)) {
      if (this.error) throw new Error(`stream failed while waiting for ${what}: ${String(this.error)}`);
      if (this.ended) throw new Error(`stream ended while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`timed out waiting for ${what}; received: ${describe(this.received.slice(-20))}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done() {
          clearTimeout(timer);
          resolve();
        }
        this.wake.add(done);
      }).finally(() => this.wake.clear());
    }
  }

  /** The statuses an execution went through, as received (repeats of one status kept once). */
  statusesOf(executionId: string): string[] {
    const statuses: string[] = [];
    for (const { event } of this.received) {
      if (event.type !== 'execution' || event.execution.id !== executionId) continue;
      if (statuses.at(-1) !== event.execution.status) statuses.push(event.execution.status);
    }
    return statuses;
  }

  /** Step ids recorded for an execution, in the order they first arrived. */
  stepsOf(executionId: string): string[] {
    const steps: string[] = [];
    for (const { event } of this.received) {
      if (event.type === 'step' && event.executionId === executionId && !steps.includes(event.step.stepId))
        steps.push(event.step.stepId);
    }
    return steps;
  }

  /** Every execution id any event mentioned. */
  executionIds(): Set<string> {
    const ids = new Set<string>();
    for (const { event } of this.received) {
      if (event.type === 'execution') ids.add(event.execution.id);
      if (event.type === 'step') ids.add(event.executionId);
    }
    return ids;
  }

  has(type: LiveEvent['type']): boolean {
    return this.received.some((r) => r.event.type === type);
  }
}

export function describe(received: Received[]): string {
  return received
    .map(({ id, event }) =>
      event.type === 'execution'
        ? `${id}:execution ${event.execution.id.slice(0, 8)} ${event.execution.status}`
        : event.type === 'step'
          ? `${id}:step ${event.executionId.slice(0, 8)} ${event.step.stepId}`
          : `${id}:reset`,
    )
    .join(', ');
}

/**
 * One event of a subscription the router caller returned. The caller hands out tRPC's tracked()
 * envelopes as they are (`[id, data, marker]`), although its type says `{ id, data }` (what the HTTP
 * client receives): both are accepted.
 */
export function unwrap(item: { id: string; data: LiveEvent }): [string, LiveEvent] {
  return Array.isArray(item) ? [item[0], item[1]] : [item.id, item.data];
}

/** Reads a subscription the router caller returned, until it ends or its caller's signal aborts. */
export function readStream(stream: AsyncIterable<{ id: string; data: LiveEvent }>): LiveLog {
  const log = new LiveLog();
  void (async () => {
    try {
      for await (const item of stream) log.push(...unwrap(item));
      log.end();
    } catch (error) {
      log.fail(error);
    }
  })();
  return log;
}

/** Signs in over HTTP like the browser does; returns the session cookie. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ json: { email, password } }),
  });
  const cookie = response.headers
    .getSetCookie()
    .map((header) => header.split(';')[0] ?? '')
    .find((pair) => pair.startsWith('aos_session='));
  if (!cookie) throw new Error(`auth.login answered ${response.status}: ${await response.text()}`);
  return cookie;
}

/** The browser's API client: tRPC over HTTP, subscriptions over SSE, with a session cookie. */
export function httpClient(baseUrl: string, cookie: string) {
  const url = `${baseUrl}/trpc`;
  const transformer = { input: apiInputTransformer, output: superjson };
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, cookie } }),
          },
        }),
        false: httpBatchLink({ url, transformer, headers: { cookie } }),
      }),
    ],
  });
}

interface Handlers {
  onData(item: { id: string; data: LiveEvent }): void;
  onError(error: unknown): void;
  onComplete(): void;
}

/** Follows a subscription over SSE: `follow((h) => client.executions.watchList.subscribe({}, h))`. */
export function follow(subscribe: (handlers: Handlers) => { unsubscribe(): void }) {
  const log = new LiveLog();
  const subscription = subscribe({
    onData: ({ id, data }) => log.push(id, data),
    onError: (error) => log.fail(error),
    onComplete: () => log.end(),
  });
  return Object.assign(log, { stop: () => subscription.unsubscribe() });
}

/**
 * What a client that follows the list protocol knows, as the dashboard does it: live events, and
 * after every `reset` but the first (the server dropped events a slow reader left queued, or too much
 * changed while it was away) the list read again, page by page, retrying while the server is away.
 * An execution's known status is the last one learned from either, except that a finished one
 * stays finished (a page read before an event that is older than it cannot undo it).
 */
export function followList(api: ReturnType<typeof httpClient>) {
  const known = new Map<string, string>();
  const learn = (id: string, status: string) => {
    const before = known.get(id);
    if (before === undefined || !isTerminalStatus(before as ExecutionStatus)) known.set(id, status);
  };
  let resets = 0;
  let rereads = 0;
  let reading: Promise<void> = Promise.resolve();
  const reread = async () => {
    let cursor: string | undefined;
    for (let failures = 0; ; ) {
      try {
        const page = await api.executions.list.query({ limit: 100, ...(cursor ? { cursor } : {}) });
        for (const item of page.items) learn(item.id, item.status);
        if (!page.nextCursor) break;
        cursor = page.nextCursor;
      } catch (error) {
        if (++failures > 240) throw error;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }
    rereads++;
  };
  const log = new LiveLog();
  const subscription = api.executions.watchList.subscribe(
    {},
    {
      onData: ({ id, data }) => {
        log.push(id, data);
        if (data.type === 'execution') learn(data.execution.id, data.execution.status);
        if (data.type === 'reset' && ++resets > 1) reading = reading.then(reread);
      },
      onError: (error) => log.fail(error),
      onComplete: () => log.end(),
    },
  );
  return Object.assign(log, {
    stop: () => subscription.unsubscribe(),
    statusOf: (id: string) => known.get(id),
    /** Resets after the first, and list reads they caused that have finished. */
    counts: () => ({ resets: Math.max(0, resets - 1), rereads }),
    /** Resolves once the list reads asked for so far are done. */
    settled: () => reading,
  });
}
