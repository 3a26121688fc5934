/**
 * Errors that services raise for the API to translate. Services stay free of tRPC so the worker
 * and scripts can call them too.
 */
export type ServiceErrorCode =
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'TOO_MANY_REQUESTS'
  | 'BAD_REQUEST';

export class ServiceError extends Error {
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ServiceError('NOT_FOUND', `${what} not found`);
