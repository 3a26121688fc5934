import { skipToken, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../../lib/trpc';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The databases the Notion credential can see, found by Notion's search (none until a credential is picked). */
export function useNotionDataSources(credentialId: string | undefined, query: string) {
  const trpc = useTRPC();
  return useQuery(
    trpc.notion.dataSources.queryOptions(
      credentialId && UUID.test(credentialId) ? { credentialId, ...(query ? { query } : {}) } : skipToken,
      { retry: false, staleTime: 60_000 },
    ),
  );
}

/** One database's properties, for one input per property. */
export function useNotionDataSource(credentialId: string | undefined, id: string) {
  const trpc = useTRPC();
  return useQuery(
    trpc.notion.dataSource.queryOptions(
      credentialId && UUID.test(credentialId) && id ? { credentialId, id } : skipToken,
      { retry: false, staleTime: 60_000 },
    ),
  );
}
