/** The typed tRPC client (the server's AppRouter types) with the personal access token as a bearer. */
import type { AppRouter } from '@automateos/server/router';
import { apiInputTransformer } from '@automateos/shared';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import type { Login } from './config';

const transformer = { input: apiInputTransformer, output: superjson };

export function apiClient(login: Login) {
  const url = `${login.url}/trpc`;
  const authorization = `Bearer ${login.token}`;
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // Live updates over server-sent events, with the token on every (re)connection.
        true: httpSubscriptionLink({
          url,
          transformer,
          EventSource,
          eventSourceOptions: {
            fetch: (input, init) => fetch(input, { ...init, headers: { ...init.headers, authorization } }),
          },
        }),
        false: httpLink({ url, transformer, headers: { authorization } }),
      }),
    ],
  });
}

export type ApiClient = ReturnType<typeof apiClient>;
