/** Personal access tokens: what Settings → API tokens and `tokens.*` take. */
import { z } from 'zod';

/** Every token starts with this, so secret scanners (and people) can recognise a leaked one. */
export const TOKEN_PREFIX = 'aos_';
/** `aos_` and 43 base64url characters (32 random bytes). */
export const TOKEN_PATTERN = /^aos_[A-Za-z0-9_-]{43}$/;

export const tokenScopes = ['read', 'read-write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

export const MAX_TOKEN_DAYS = 366;
/** What the create form offers; "never" is leaving `expiresInDays` out. */
export const tokenExpiryChoices = [7, 30, 90, 365] as const;

export const createTokenInput = z.strictObject({
  name: z
    .string({ error: 'Name is required' })
    .trim()
    .min(1, 'Name is required')
    .max(100, 'Name must be at most 100 characters'),
  scope: z.enum(tokenScopes, { error: 'Scope is "read" or "read-write"' }),
  /** Left out: the token never expires. */
  expiresInDays: z
    .int('Days must be a whole number')
    .min(1, 'At least 1 day')
    .max(MAX_TOKEN_DAYS, `At most ${MAX_TOKEN_DAYS} days`)
    .optional(),
});
export type CreateTokenInput = z.input<typeof createTokenInput>;

export const tokenIdInput = z.strictObject({ id: z.uuid('Not a valid id') });
