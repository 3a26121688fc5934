import type { PublicUser } from '@automateos/shared';
import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, use } from 'react';
import { procedureOf, useTRPC } from '../../lib/trpc';

/**
 * The signed-in user, or null. It changes only through sign-in, sign-up, sign-out and endSession,
 * which write it themselves, so it never goes stale on its own.
 */
export function useSession() {
  const trpc = useTRPC();
  return useQuery(trpc.auth.me.queryOptions(undefined, { staleTime: Number.POSITIVE_INFINITY }));
}

const isSessionQuery = (query: { queryKey: readonly unknown[] }) => procedureOf(query.queryKey) === 'auth.me';

/** After sign-in or sign-up: nothing loaded for a previous user survives into the new session. */
export function useStartSession() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return (user: PublicUser) => {
    queryClient.removeQueries({ predicate: (query) => !isSessionQuery(query) });
    queryClient.setQueryData(trpc.auth.me.queryKey(), () => ({ user }));
  };
}

/**
 * For a session that ended on the server (expired, revoked elsewhere). RequireSession sees the
 * null user and sends the visitor to sign in, with `?next=` pointing back. The old user's data is
 * dropped when the next session starts; dropping it here would make the mounted page refetch it.
 */
export function endSession(queryClient: QueryClient) {
  queryClient.setQueriesData({ predicate: isSessionQuery }, null);
}

export const CurrentUserContext = createContext<PublicUser | null>(null);

export function useCurrentUser() {
  const user = use(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser() is only available inside the signed-in layout');
  return user;
}

export function signInPath(next: string) {
  return next === '/' ? '/sign-in' : `/sign-in?next=${encodeURIComponent(next)}`;
}

/** Where to go after signing in: only a path on this site, so `?next=` cannot become an open redirect. */
export function nextPath(params: URLSearchParams) {
  const next = params.get('next');
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
