import { TRPCClientError } from '@trpc/client';

/** An error as httpBatchLink reports a tRPC error response, for unit tests. */
export function apiError(code: string, httpStatus: number, message = code, data: object = {}) {
  return TRPCClientError.from({ error: { code: -32000, message, data: { code, httpStatus, ...data } } });
}
