import type { AppRouter } from '@automateos/server/router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferOutput, TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { useTRPC } from '../../lib/trpc';

type Api = TRPCOptionsProxy<AppRouter>;
export type Credential = inferOutput<Api['credentials']['get']>;

export const CREDENTIALS_PATH = '/credentials';

/** The user's credentials, by name. */
export function useCredentials() {
  const trpc = useTRPC();
  return useQuery(trpc.credentials.list.queryOptions());
}

/** After any change to a credential: every list is refetched (the editor's pickers read it too). */
function useCredentialCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries(trpc.credentials.pathFilter());
}

export function useCreateCredential() {
  const trpc = useTRPC();
  const changed = useCredentialCache();
  return useMutation(trpc.credentials.create.mutationOptions({ onSuccess: () => changed() }));
}

export function useUpdateCredential() {
  const trpc = useTRPC();
  const changed = useCredentialCache();
  return useMutation(trpc.credentials.update.mutationOptions({ onSuccess: () => changed() }));
}

export function useDeleteCredential() {
  const trpc = useTRPC();
  const changed = useCredentialCache();
  return useMutation(trpc.credentials.delete.mutationOptions({ onSuccess: () => changed() }));
}

export function useTestCredential() {
  const trpc = useTRPC();
  return useMutation(trpc.credentials.test.mutationOptions());
}
