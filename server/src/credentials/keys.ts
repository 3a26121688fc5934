/**
 * The master keys credentials are encrypted with. CREDENTIALS_KEYS is a comma-separated list of
 * `id:base64-of-32-bytes`; the first is the active key (new and rotated credentials use it), the
 * others only decrypt what they encrypted until `npm run credentials:rotate` has moved it. Every
 * stored credential names its key id, so a missing key is found at start-up. An entry without an
 * id (what a hosting platform's "generate a value" gives) is the key `default`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface CredentialKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** The key new and rotated credentials are encrypted with. */
  active: CredentialKey;
  get(id: string): CredentialKey | undefined;
  ids: readonly string[];
}

export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
/** The id of a key given without one. */
export const DEFAULT_KEY_ID = 'default';
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

export class CredentialKeysError extends Error {}

const HOW = 'each entry is id:key, the key 32 random bytes in base64 (`openssl rand -base64 32`)';

/** Parses CREDENTIALS_KEYS. Messages name the entry by position and id, never a key's bytes. */
export function parseCredentialKeys(text: string): Keyring {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length === 0) throw new CredentialKeysError(`CREDENTIALS_KEYS is empty: ${HOW}`);
  const keys: CredentialKey[] = entries.map((entry, index) => {
    const where = `CREDENTIALS_KEYS entry ${index + 1}`;
    // Base64 has no colon, so an entry without one is a bare key.
    const colon = entry.indexOf(':');
    const id = colon < 0 ? DEFAULT_KEY_ID : entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(id)) {
      throw new CredentialKeysError(`${where}: the key id is 1–32 letters, digits, _ or - (e.g. k2)`);
    }
    const key = BASE64.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
    if (key.length !== 32) {
      throw new CredentialKeysError(
        `${where} (key id "${id}") is not 32 bytes of base64 (${key.length} bytes decoded): ${HOW}`,
      );
    }
    return { id, key };
  });
  const byId = new Map<string, CredentialKey>();
  for (const key of keys) {
    if (byId.has(key.id)) throw new CredentialKeysError(`CREDENTIALS_KEYS names key id "${key.id}" twice`);
    byId.set(key.id, key);
  }
  const [active] = keys;
  if (!active) throw new CredentialKeysError(`CREDENTIALS_KEYS is empty: ${HOW}`);
  return { active, get: (id) => byId.get(id), ids: keys.map((key) => key.id) };
}

/** A new CREDENTIALS_KEYS entry with a fresh random key. */
export function newKeyEntry(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/**
 * The development key file: created once (by whichever process gets there first, atomically, so
 * the web process and the worker never end up with different keys) and read from then on.
 * Returns the CREDENTIALS_KEYS text and whether this call created the file.
 */
export function developmentKeys(dir: string): { text: string; file: string; created: boolean } {
  const file = path.join(dir, 'credentials-keys');
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
    const staging = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    const today = new Date().toISOString().slice(0, 10).replaceAll('-', '');
    writeFileSync(staging, `${newKeyEntry(`dev${today}`)}\n`, { mode: 0o600 });
    try {
      // link() fails if the file exists: of two processes starting at once, one key wins.
      linkSync(staging, file);
      return { text: readFileSync(file, 'utf8').trim(), file, created: true };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(staging, { force: true });
    }
  }
  return { text: readFileSync(file, 'utf8').trim(), file, created: false };
}
