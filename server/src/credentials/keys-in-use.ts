import { count } from 'drizzle-orm';
import { ConfigError } from '../config';
import type { Db } from '../db/client';
import { sqlState } from '../db/errors';
import { credentials } from '../db/schema';
import type { Keyring } from './keys';

/** How many stored credentials each key id encrypts. Empty before the migrations created the table. */
export async function keysInUse(db: Db): Promise<{ keyId: string; credentials: number }[]> {
  try {
    return await db
      .select({ keyId: credentials.keyId, credentials: count() })
      .from(credentials)
      .groupBy(credentials.keyId);
  } catch (error) {
    if (sqlState(error) === '42P01') return []; // undefined_table: nothing stored yet
    throw error;
  }
}

/**
 * Stops start-up when a stored credential is encrypted with a key CREDENTIALS_KEYS does not have:
 * found now, with the key id named, rather than by the first workflow that needs it.
 */
export async function assertCredentialKeys(db: Db, keyring: Keyring): Promise<void> {
  const missing = (await keysInUse(db)).filter(({ keyId }) => keyring.get(keyId) === undefined);
  if (missing.length === 0) return;
  const list = missing
    .map(({ keyId, credentials: n }) => `"${keyId}" (${n} credential${n === 1 ? '' : 's'})`)
    .join(', ');
  throw new ConfigError(
    `Stored credentials are encrypted with key id ${list}, which CREDENTIALS_KEYS does not have (it has ${keyring.ids.map((id) => `"${id}"`).join(', ')}). ` +
      'Add the missing key back to CREDENTIALS_KEYS from your backup (as id:base64, after the active key); `npm run credentials:rotate` can then move those credentials to the active key.',
  );
}
