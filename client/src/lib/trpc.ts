import type { AppRouter } from '@automateos/server/router';
import { apiInputTransformer } from '@automateos/shared';
import type { QueryKey } from '@tanstack/react-query';
import {
  createTRPCClient,
  httpBatchLink,
  httpSubscriptionLink,
  splitLink,
  TRPCClientError,
} from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import superjson from 'superjson';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

/** Input as plain JSON (the server refuses superjson's meta); results keep superjson for dates. */
const transformer = { input: apiInputTransformer, output: superjson };

export function createApiClient() {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        // Live updates stream over server-sent events from the same origin, with the session cookie.
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: '/trpc', transformer }),
        false: httpBatchLink({
          url: '/trpc',
          transformer,
          // The server refuses a batch of more than 10 calls.
          maxItems: 10,
        }),
      }),
    ],
  });
}

export type ApiError = TRPCClientError<AppRouter>;

export function isApiError(error: unknown): error is ApiError {
  return error instanceof TRPCClientError;
}

/** The tRPC error code ("UNAUTHORIZED", "CONFLICT"…), or undefined for network and non-tRPC errors. */
export function apiErrorCode(error: unknown) {
  return isApiError(error) ? error.data?.code : undefined;
}

/** The procedure a tRPC query or mutation key belongs to: `[['auth', 'me'], { type: 'query' }]` → 'auth.me'. */
export function procedureOf(key: QueryKey | undefined) {
  const path = key?.[0];
  return Array.isArray(path) ? path.join('.') : undefined;
}
