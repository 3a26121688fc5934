import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CredentialDecryptionError, keyIdOf, MissingKeyError, openSecrets, sealSecrets } from './crypto';
import { parseCredentialKeys } from './keys';

const key = () => randomBytes(32).toString('base64');
const k1 = key();
const keyring = parseCredentialKeys(`k1:${k1}`);
const owner = {
  id: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
  userId: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
  type: 'httpBearer',
};
const secrets = { token: 'sk_live_round-trip-0123456789' };

/** The stored value with one bit of its ciphertext, tag or nonce flipped. */
function flipped(sealed: string, part: 2 | 3 | 4): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[part] ?? '', 'base64url');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[part] = bytes.toString('base64url');
  return parts.join('.');
}

describe('credential encryption (AES-256-GCM)', () => {
  it('round-trips, naming its format version and key id, with a fresh nonce each time', () => {
    const sealed = sealSecrets(keyring, owner, secrets);
    expect(sealed.keyId).toBe('k1');
    expect(sealed.encryptedData).toMatch(/^v1\.k1\.[\w-]{16}\.[\w-]+\.[\w-]{22}$/);
    expect(keyIdOf(sealed.encryptedData)).toBe('k1');
    expect(sealed.encryptedData).not.toContain(secrets.token);
    expect(Buffer.from(sealed.encryptedData.split('.')[3] ?? '', 'base64url').toString()).not.toContain(
      'sk_live',
    );
    expect(openSecrets(keyring, owner, sealed.encryptedData)).toEqual(secrets);
    const again = sealSecrets(keyring, owner, secrets).encryptedData;
    expect(again.split('.')[2]).not.toBe(sealed.encryptedData.split('.')[2]);
    expect(again).not.toBe(sealed.encryptedData);
  });

  it('refuses a flipped bit anywhere: ciphertext, tag or nonce', () => {
    const { encryptedData } = sealSecrets(keyring, owner, secrets);
    for (const part of [2, 3, 4] as const) {
      expect(() => openSecrets(keyring, owner, flipped(encryptedData, part))).toThrow(
        CredentialDecryptionError,
      );
    }
    expect(() => openSecrets(keyring, owner, encryptedData.slice(0, -4))).toThrow(CredentialDecryptionError);
    expect(() => openSecrets(keyring, owner, 'not a stored value')).toThrow(CredentialDecryptionError);
  });

  it('refuses a wrong key that has the same id', () => {
    const { encryptedData } = sealSecrets(keyring, owner, secrets);
    const impostor = parseCredentialKeys(`k1:${key()}`);
    expect(() => openSecrets(impostor, owner, encryptedData)).toThrow(
      'does not decrypt with key "k1": it was changed, or it belongs to another credential',
    );
  });

  it('refuses a ciphertext moved to another row, another owner or another type', () => {
    const { encryptedData } = sealSecrets(keyring, owner, secrets);
    const elsewhere = [
      { ...owner, id: '9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a' },
      { ...owner, userId: '11111111-2222-4333-8444-555555555555' },
      { ...owner, type: 'httpHeader' },
    ];
    for (const identity of elsewhere) {
      expect(() => openSecrets(keyring, identity, encryptedData)).toThrow(CredentialDecryptionError);
    }
  });

  it('names a key id the keyring does not have', () => {
    const { encryptedData } = sealSecrets(keyring, owner, secrets);
    const rotated = parseCredentialKeys(`k2:${key()}`);
    expect(() => openSecrets(rotated, owner, encryptedData)).toThrow(MissingKeyError);
    expect(() => openSecrets(rotated, owner, encryptedData)).toThrow('key id "k1"');
    // With the old key still listed after the new active one, it decrypts.
    expect(openSecrets(parseCredentialKeys(`k2:${key()},k1:${k1}`), owner, encryptedData)).toEqual(secrets);
  });
});
