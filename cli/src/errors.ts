import { TRPCClientError } from '@trpc/client';

/** Exit codes, as the README lists them. */
export const EXIT = { ok: 0, failed: 1, usage: 2, auth: 3, notFound: 4 } as const;

/** An error for the user: printed as one line (plus field errors), never a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.failed,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

interface ErrorData {
  code?: string;
  issues?: { path: string[]; message: string }[];
}

const pathText = (path: string[]) =>
  path
    .map((key) => (/^\d+$/.test(key) ? `[${key}]` : `.${key}`))
    .join('')
    .replace(/^\./, '');

/** What the server answered, in words, with the exit code that goes with it. */
export function fromApiError(error: unknown, server: string): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof TRPCClientError) {
    const data: ErrorData = error.data ?? {};
    const issues = (data.issues ?? []).map((issue) => ({
      path: pathText(issue.path),
      message: issue.message,
    }));
    if (data.code === 'UNAUTHORIZED')
      return new CliError(`${error.message} Run \`automateos login\`.`, EXIT.auth);
    if (data.code === 'NOT_FOUND') return new CliError(error.message, EXIT.notFound);
    if (!data.code) return new CliError(`Cannot reach ${server}: ${error.message}`);
    return new CliError(error.message, EXIT.failed, issues);
  }
  return new CliError(error instanceof Error ? error.message : String(error));
}
