import { MutationObserver, type QueryKey } from '@tanstack/react-query';
import { describe, expect, it } from 'vitest';
import { createQueryClient } from './query-client';
import { apiError } from './test-errors';

function setup() {
  const calls = { sessionEnded: 0 };
  const queryClient = createQueryClient({ onSessionEnded: () => calls.sessionEnded++ });
  const query = (queryKey: QueryKey, error: Error) =>
    queryClient.fetchQuery({ queryKey, queryFn: () => Promise.reject(error), retryDelay: 0 }).catch(() => {});
  const mutation = (path: string[], error: Error) =>
    new MutationObserver(queryClient, { mutationKey: [path], mutationFn: () => Promise.reject(error) })
      .mutate()
      .catch(() => {});
  return { calls, queryClient, query, mutation };
}

describe('UNAUTHORIZED handling', () => {
  it('ends the session when a query or a mutation answers UNAUTHORIZED', async () => {
    const { calls, query, mutation } = setup();
    await query([['workflows', 'list'], { type: 'query' }], apiError('UNAUTHORIZED', 401));
    await mutation(['workflows', 'create'], apiError('UNAUTHORIZED', 401));
    expect(calls.sessionEnded).toBe(2);
  });

  it('leaves auth procedures to their forms: a wrong password is not an ended session', async () => {
    const { calls, query, mutation } = setup();
    await mutation(['auth', 'login'], apiError('UNAUTHORIZED', 401, 'Wrong email or password'));
    await query([['auth', 'me'], { type: 'query' }], apiError('UNAUTHORIZED', 401));
    expect(calls.sessionEnded).toBe(0);
  });

  it('ignores every other error', async () => {
    const { calls, query } = setup();
    await query([['workflows', 'get'], { input: { id: 'x' }, type: 'query' }], apiError('NOT_FOUND', 404));
    await query([['workflows', 'list'], { type: 'query' }], new TypeError('Failed to fetch'));
    expect(calls.sessionEnded).toBe(0);
  });
});

describe('retries', () => {
  it('retries network and server errors, never client errors', async () => {
    const { queryClient } = setup();
    const attempts = async (error: Error) => {
      let count = 0;
      await queryClient
        .fetchQuery({
          queryKey: [error.message],
          queryFn: () => {
            count++;
            return Promise.reject(error);
          },
          retryDelay: 0,
        })
        .catch(() => {});
      return count;
    };
    expect(await attempts(apiError('BAD_REQUEST', 400))).toBe(1);
    expect(await attempts(apiError('INTERNAL_SERVER_ERROR', 500))).toBe(3);
    expect(await attempts(new TypeError('Failed to fetch'))).toBe(3);
  });
});
