import { describe, expect, it } from 'vitest';
import { TransientFailure, withRetries } from './retry';
import { StepFailure } from './types';

const policy = { attempts: 3, backoff: 'fixed' as const, delayMs: 1 };

describe('withRetries', () => {
  it('counts the attempts made before a failure for good (a 429, then a 400)', async () => {
    const answers = [
      new TransientFailure(new StepFailure('Rate limited', 'RATE_LIMITED')),
      new StepFailure('Bad request', 'HTTP_STATUS'),
    ];
    const failed = await withRetries(policy, new AbortController().signal, async () => {
      throw answers.shift();
    }).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(StepFailure);
    expect(failed).toMatchObject({ code: 'HTTP_STATUS', attempts: 2 });
    expect(answers).toEqual([]);
  });

  it('gives up after the policy with the last transient failure and every attempt counted', async () => {
    let calls = 0;
    const failed = await withRetries(policy, new AbortController().signal, async () => {
      calls += 1;
      throw new TransientFailure(new StepFailure('Unavailable', 'HTTP_STATUS'));
    }).catch((error: unknown) => error);
    expect(failed).toMatchObject({ code: 'HTTP_STATUS', attempts: 4 });
    expect(calls).toBe(4);
  });
});
