import type { AppRouter } from '@automateos/server/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferOutput, TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { useTRPC } from '../../lib/trpc';

type Api = TRPCOptionsProxy<AppRouter>;
export type ApiToken = inferOutput<Api['tokens']['list']>['items'][number];

export const TOKENS_PATH = '/settings/tokens';

export function useTokens() {
  const trpc = useTRPC();
  return useQuery(trpc.tokens.list.queryOptions());
}

function useTokenCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.tokens.pathFilter());
}

export function useCreateToken() {
  const trpc = useTRPC();
  const changed = useTokenCache();
  return useMutation(trpc.tokens.create.mutationOptions({ onSuccess: () => changed() }));
}

export function useRevokeToken() {
  const trpc = useTRPC();
  const changed = useTokenCache();
  return useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => changed() }));
}
