/** SQLSTATE of a failed query, from postgres.js directly or wrapped by Drizzle. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The constraint a failed insert or update broke, when Postgres names one. */
export function violatedConstraint(error: unknown): string | undefined {
  const e = error as { constraint_name?: unknown; cause?: { constraint_name?: unknown } } | null;
  const name = e?.cause?.constraint_name ?? e?.constraint_name;
  return typeof name === 'string' ? name : undefined;
}

/**
 * Class 22 (data exception: a NUL character in text or JSON, a lone surrogate, a value out of
 * range): the input is at fault, not the database, so the caller gets a 4xx, never a 500.
 */
export const isDataError = (error: unknown) => sqlState(error)?.startsWith('22') ?? false;

/**
 * Class 22 (data), 23 (integrity) or 54 (a program limit, e.g. JSON nested too deep for the
 * server's stack): a row the data itself made impossible, not a fault of the database.
 */
export const isInputError = (error: unknown) => /^(22|23|54)/.test(sqlState(error) ?? '');

// postgres.js's own codes, and the socket errors of Node under it.
const CONNECTION_CODES = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * The database cannot be reached or is going away: class 08 (connection exception), 57P01–57P03
 * (shutdown, crash, starting up), 53300 (too many connections), or a broken socket.
 */
export function isConnectionError(error: unknown): boolean {
  const code = sqlState(error);
  if (code === undefined) return false;
  return code.startsWith('08') || /^57P0[1-3]$/.test(code) || code === '53300' || CONNECTION_CODES.has(code);
}

export const UNSTORABLE_INPUT =
  'The input contains characters that cannot be stored (for example a NUL character, \\u0000). Remove them and try again.';
