import type { RetryPolicy } from '@automateos/shared';
import { retryDelayMs } from '../net/http-client';
import { sleep } from './http';
import { StepFailure } from './types';

/**
 * A failure that running the same call again may cure: a 429 or 5xx, a dropped connection, a mail
 * server's 4xx. `retryAfter` is the service's Retry-After header, which the wait honours.
 */
export class TransientFailure extends Error {
  constructor(
    readonly failure: StepFailure,
    readonly retryAfter: string | null = null,
  ) {
    super(failure.message);
  }
}

/**
 * Runs `call` until it succeeds, fails for good, or the step's retry policy is spent: one policy
 * for every integration step, so the SDKs' own retries are off. Each call is retried on its own,
 * so a step that makes several calls never repeats one that succeeded (no duplicate page or message).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  signal: AbortSignal,
  call: () => Promise<T>,
): Promise<{ result: T; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { result: await call(), attempts: attempt };
    } catch (error) {
      // A failure for good after retries still counts the attempts made before it.
      if (error instanceof StepFailure && attempt > 1)
        throw new StepFailure(error.message, error.code, attempt, error.output);
      if (!(error instanceof TransientFailure)) throw error;
      const { failure } = error;
      if (attempt > policy.attempts)
        throw new StepFailure(failure.message, failure.code, attempt, failure.output);
      const delay = retryDelayMs({ ...policy, attempt, retryAfter: error.retryAfter });
      await sleep(delay, signal);
    }
  }
}
