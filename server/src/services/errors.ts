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
  | 'PRECONDITION_FAILED'
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

export interface FieldProblem {
  /** Where in the procedure's input, e.g. `['definition', 'steps', 0, 'config', 'auth', 'credentialId']`. */
  path: (string | number)[];
  message: string;
}

/**
 * Input that is well-formed but wrong against what is stored (a step naming a credential that is
 * not the user's, a name already taken): BAD_REQUEST with each problem at its field, in the shape
 * the API gives the input schema's own errors, so forms show both the same way.
 */
export class InvalidInputError extends ServiceError {
  constructor(readonly issues: FieldProblem[]) {
    super('BAD_REQUEST', issues.map((issue) => issue.message).join('; '));
  }
}

export const invalidInput = (issues: FieldProblem[]) => new InvalidInputError(issues);
