/**
 * The pages' live updates: a tRPC subscription (server-sent events) whose events are written into
 * the cached answers the page renders, so it looks exactly as after a refetch. When the stream cannot
 * connect (a proxy that buffers it, the server refusing more streams), the page refreshes on a timer
 * instead and says so; the stream is tried again now and then.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useEffect, useRef, useState } from 'react';
import { apiErrorCode, useTRPC } from '../../lib/trpc';
import { useLatest } from '../../lib/use-latest';
import { endSession } from '../auth/session';
import type { ExecutionSummary } from '../executions/types';
import { withStep, withSummary } from './cache';
import { usePageVisible } from './use-page-visible';

export type LiveStatus =
  | { state: 'live' }
  | { state: 'connecting' }
  /** The page refreshes every `everyMs` instead: the stream is unavailable, for `reason`. */
  | { state: 'polling'; reason: string; everyMs: number }
  /** Nothing to follow (a finished execution), or the tab is in the background. */
  | { state: 'paused' };

/** Connecting for longer than this: refresh on a timer meanwhile. */
const CONNECTING_PATIENCE_MS = 8_000;
/** After the server refused the stream (too many open, say), try again after this. */
const RETRY_MS = 30_000;
/** List events are applied together at most this often: one render for a burst of executions. */
const LIST_BATCH_MS = 50;

interface SubscriptionState {
  status: 'idle' | 'connecting' | 'pending' | 'error';
  error: unknown;
  reset(): void;
}

/**
 * What the subscription's state means for the page, and the fallback: while it is `polling`,
 * `refresh` runs every `refreshMs`.
 */
function useLiveStatus(
  subscription: SubscriptionState,
  enabled: boolean,
  fallback: { refresh: () => void; refreshMs: number },
): LiveStatus {
  const queryClient = useQueryClient();
  const [slow, setSlow] = useState(false);
  const refresh = useLatest(fallback.refresh);
  const { status, error, reset } = subscription;
  const unauthorized = status === 'error' && apiErrorCode(error) === 'UNAUTHORIZED';

  useEffect(() => {
    setSlow(false);
    if (status !== 'connecting') return;
    const timer = setTimeout(() => setSlow(true), CONNECTING_PATIENCE_MS);
    return () => clearTimeout(timer);
  }, [status]);

  useEffect(() => {
    if (unauthorized) endSession(queryClient);
    if (status !== 'error' || unauthorized) return;
    const timer = setTimeout(reset, RETRY_MS);
    return () => clearTimeout(timer);
  }, [status, unauthorized, reset, queryClient]);

  const live: LiveStatus = !enabled
    ? { state: 'paused' }
    : status === 'pending'
      ? { state: 'live' }
      : status === 'error'
        ? {
            state: 'polling',
            reason: error instanceof Error ? error.message : 'the stream failed',
            everyMs: fallback.refreshMs,
          }
        : slow
          ? { state: 'polling', reason: 'the live stream cannot connect', everyMs: fallback.refreshMs }
          : { state: 'connecting' };

  const polling = live.state === 'polling';
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(refresh, fallback.refreshMs);
    return () => clearInterval(timer);
  }, [polling, refresh, fallback.refreshMs]);
  return live;
}

/** How often a page refreshes while live updates are unavailable. */
export const FALLBACK_REFRESH_MS = { execution: 1_000, list: 2_000 } as const;

/** The execution page: status and each step as it is recorded, while the execution is moving. */
export function useLiveExecution(id: string, moving: boolean): LiveStatus {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const enabled = usePageVisible() && moving;
  const key = trpc.executions.get.queryKey({ id });
  const subscription = useSubscription(
    trpc.executions.watch.subscriptionOptions(
      { id },
      {
        enabled,
        onData: ({ data: event }) => {
          if (event.type === 'reset') return void queryClient.invalidateQueries({ queryKey: key });
          queryClient.setQueryData(key, (detail) =>
            !detail
              ? detail
              : event.type === 'step'
                ? withStep(detail, event.step)
                : event.type === 'execution'
                  ? withSummary(detail, event.execution)
                  : detail,
          );
        },
      },
    ),
  );
  return useLiveStatus(subscription, enabled, {
    refresh: () => void queryClient.invalidateQueries({ queryKey: key }),
    refreshMs: FALLBACK_REFRESH_MS.execution,
  });
}

/**
 * The account's executions (or one workflow's) as they are created and change: `onExecutions` gets
 * them in arrival order, a burst at a time; `onReset` means "read your lists again" (a fresh stream,
 * or more changed than was worth sending), and is also the refresh while the stream is unavailable.
 */
export function useLiveExecutions(options: {
  workflowId?: string | undefined;
  onExecutions: (summaries: ExecutionSummary[]) => void;
  onReset: () => void;
  /** The workflow's webhook deliveries changed (with `workflowId` only). */
  onDeliveries?: () => void;
}): LiveStatus {
  const trpc = useTRPC();
  const enabled = usePageVisible();
  const pending = useRef<ExecutionSummary[]>([]);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const flush = useLatest(() => {
    timer.current = undefined;
    const summaries = pending.current;
    pending.current = [];
    if (summaries.length > 0) options.onExecutions(summaries);
  });
  useEffect(() => () => clearTimeout(timer.current), []);
  const input = options.workflowId ? { workflowId: options.workflowId } : {};
  const subscription = useSubscription(
    trpc.executions.watchList.subscriptionOptions(input, {
      enabled,
      onData: ({ data: event }) => {
        if (event.type === 'reset') {
          pending.current = [];
          return options.onReset();
        }
        if (event.type === 'deliveries') return options.onDeliveries?.();
        if (event.type !== 'execution') return;
        pending.current.push(event.execution);
        timer.current ??= setTimeout(flush, LIST_BATCH_MS);
      },
    }),
  );
  return useLiveStatus(subscription, enabled, {
    refresh: options.onReset,
    refreshMs: FALLBACK_REFRESH_MS.list,
  });
}
