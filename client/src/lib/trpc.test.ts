import type { AppRouter } from '@automateos/server/router';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { describe, expect, it } from 'vitest';
import { createApiClient, procedureOf } from './trpc';

describe('procedureOf', () => {
  it('reads the procedure from the keys tRPC generates', () => {
    const trpc = createTRPCOptionsProxy<AppRouter>({
      client: createApiClient(),
      queryClient: new QueryClient(),
    });
    expect(procedureOf(trpc.auth.me.queryKey())).toBe('auth.me');
    expect(procedureOf(trpc.auth.login.mutationKey())).toBe('auth.login');
    expect(procedureOf(['not', 'trpc'])).toBeUndefined();
  });
});
