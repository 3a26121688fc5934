/**
 * Authenticated encryption of a credential's secret fields: AES-256-GCM (node:crypto) with a
 * random 96-bit nonce per encryption. A stored value reads
 *
 *   v1.<key id>.<nonce, base64url>.<ciphertext, base64url>.<tag, base64url>
 *
 * The format version and key id travel with the value, so a key can be rotated out and a missing
 * one named. The additional authenticated data binds the value to its credential's id, owner and
 * type: copied into another row, another user's credential or another type, it no longer decrypts.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { CredentialKey, Keyring } from './keys';

const VERSION = 'v1';
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/** Whose secrets these are: what the ciphertext is bound to. */
export interface CredentialIdentity {
  id: string;
  userId: string;
  type: string;
}

export interface SealedSecrets {
  keyId: string;
  encryptedData: string;
}

/** A stored value names a key id that CREDENTIALS_KEYS does not have. */
export class MissingKeyError extends Error {
  constructor(readonly keyId: string) {
    super(
      `Encrypted with key id "${keyId}", which CREDENTIALS_KEYS does not have. Put that key back into CREDENTIALS_KEYS (as ${keyId}:<base64>), from the backup of your keys.`,
    );
  }
}

/** The value was changed, cut, or belongs to another credential: authentication failed. */
export class CredentialDecryptionError extends Error {}

function aad({ id, userId, type }: CredentialIdentity): Buffer {
  return Buffer.from(`automateos:credential:${VERSION}:${id}:${userId}:${type}`, 'utf8');
}

export function encryptWith(key: CredentialKey, identity: CredentialIdentity, plaintext: string): string {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad(identity));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, key.id, nonce, ciphertext, tag]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The key id a stored value names (without decrypting it). */
export function keyIdOf(encryptedData: string): string | undefined {
  const [version, keyId] = encryptedData.split('.');
  return version === VERSION ? keyId : undefined;
}

/** Encrypts `secrets` (as JSON) under the active key. */
export function sealSecrets(keyring: Keyring, identity: CredentialIdentity, secrets: unknown): SealedSecrets {
  const encryptedData = encryptWith(keyring.active, identity, JSON.stringify(secrets));
  return { keyId: keyring.active.id, encryptedData };
}

/** Decrypts a stored value for `identity`; throws MissingKeyError or CredentialDecryptionError. */
export function openSecrets(keyring: Keyring, identity: CredentialIdentity, encryptedData: string): unknown {
  const parts = encryptedData.split('.');
  const [version, keyId, nonceText, ciphertextText, tagText] = parts;
  if (
    parts.length !== 5 ||
    version !== VERSION ||
    keyId === undefined ||
    nonceText === undefined ||
    ciphertextText === undefined ||
    tagText === undefined
  ) {
    throw new CredentialDecryptionError('The stored value is not in a format this version can read.');
  }
  const key = keyring.get(keyId);
  if (!key) throw new MissingKeyError(keyId);
  const nonce = Buffer.from(nonceText, 'base64url');
  const tag = Buffer.from(tagText, 'base64url');
  if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
    throw new CredentialDecryptionError(
      'The stored value is damaged (its nonce or tag has the wrong length).',
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad(identity));
    decipher.setAuthTag(tag);
    const plaintext = Buffer.concat([
      decipher.update(Buffer.from(ciphertextText, 'base64url')),
      decipher.final(),
    ]);
    return JSON.parse(plaintext.toString('utf8'));
  } catch {
    throw new CredentialDecryptionError(
      `The stored value does not decrypt with key "${keyId}": it was changed, or it belongs to another credential.`,
    );
  }
}
