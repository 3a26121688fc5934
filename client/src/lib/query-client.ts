import { MutationCache, QueryCache, QueryClient, type QueryKey } from '@tanstack/react-query';
import { apiErrorCode, isApiError, procedureOf } from './trpc';

/**
 * auth.* procedures answer UNAUTHORIZED as part of their contract ("Wrong email or password"),
 * so only the other procedures' UNAUTHORIZED means "the session is gone".
 */
function isAuthProcedure(key: QueryKey | undefined) {
  return procedureOf(key)?.startsWith('auth.') ?? false;
}

/** A 4xx answers the same way the next time; only network and server errors are worth retrying. */
function isRetryable(error: Error) {
  return !isApiError(error) || (error.data?.httpStatus ?? 500) >= 500;
}

export function createQueryClient({ onSessionEnded }: { onSessionEnded: () => void }) {
  const handleError = (error: Error, key: QueryKey | undefined) => {
    if (apiErrorCode(error) === 'UNAUTHORIZED' && !isAuthProcedure(key)) onSessionEnded();
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError: (error, query) => handleError(error, query.queryKey) }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _result, mutation) => handleError(error, mutation.options.mutationKey),
    }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        retry: (failureCount, error) => failureCount < 2 && isRetryable(error),
      },
    },
  });
}
