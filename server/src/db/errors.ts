/** SQLSTATE of a failed query, from postgres.js directly or wrapped by Drizzle. */
export function sqlState(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown } } | null;
  const code = e?.cause?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Class 22 (data exception: a NUL character in text or JSON, a lone surrogate, a value out of
 * range): the input is at fault, not the database, so the caller gets a 4xx, never a 500.
 */
export const isDataError = (error: unknown) => sqlState(error)?.startsWith('22') ?? false;

/** Class 22, or 23 (integrity) — a row the data itself made impossible. */
export const isDataOrIntegrityError = (error: unknown) => {
  const state = sqlState(error);
  return !!state && (state.startsWith('22') || state.startsWith('23'));
};

export const UNSTORABLE_INPUT =
  'The input contains characters that cannot be stored (for example a NUL character, \\u0000). Remove them and try again.';
