import type { AppRouter } from '@automateos/server/router';
import { QueryClient } from '@tanstack/react-query';
import { createTRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { describe, expect, it } from 'vitest';
import { createApiClient } from '../../lib/trpc';
import { endSession, nextPath, signInPath } from './session';

describe('endSession', () => {
  it('marks the visitor as signed out', () => {
    const queryClient = new QueryClient();
    const trpc = createTRPCOptionsProxy<AppRouter>({ client: createApiClient(), queryClient });
    const user = { id: 'u1', email: 'ada@example.com', name: null, createdAt: new Date() };
    queryClient.setQueryData(trpc.auth.me.queryKey(), () => ({ user }));

    endSession(queryClient);

    expect(queryClient.getQueryData(trpc.auth.me.queryKey())).toBeNull();
  });
});

describe('?next=', () => {
  it('round-trips the page to come back to', () => {
    const url = new URL(signInPath('/workflows/42?tab=runs'), 'http://localhost');
    expect(url.pathname).toBe('/sign-in');
    expect(nextPath(url.searchParams)).toBe('/workflows/42?tab=runs');
    expect(signInPath('/')).toBe('/sign-in');
  });

  it('only ever leads to a page of this site', () => {
    const next = (value: string) => nextPath(new URLSearchParams({ next: value }));
    expect(next('https://evil.example/')).toBe('/');
    expect(next('//evil.example/')).toBe('/');
    expect(next('/\\evil.example/')).toBe('/');
    expect(next('javascript:alert(1)')).toBe('/');
    expect(nextPath(new URLSearchParams())).toBe('/');
  });
});
