/** RFC 9110 token characters: anything else makes the request fail when the step runs. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Names that carry a secret whole, and words that make any name look like one. */
const SECRET_NAMES = new Set(['authorization', 'proxy-authorization', 'cookie', 'x-api-key']);
const SECRET_WORDS = /token|secret|key|password|passwd|auth|session/i;
/** Named like secrets but meant to be seen: a request's idempotency key identifies it, it grants nothing. */
const NOT_SECRET = new Set(['idempotency-key', 'x-idempotency-key']);

/**
 * Whether a header (or query parameter) a user typed by hand looks like it carries a secret:
 * `Authorization`, `X-Api-Key`, or a name containing token, secret, key, password or auth. Its value
 * is redacted in the step log, and the editor suggests keeping it in a credential instead.
 */
export function isSecretLookingName(name: string): boolean {
  const lower = name.trim().toLowerCase();
  if (NOT_SECRET.has(lower)) return false;
  return SECRET_NAMES.has(lower) || SECRET_WORDS.test(lower);
}
