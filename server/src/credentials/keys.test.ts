import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CredentialKeysError, developmentKeys, parseCredentialKeys } from './keys';

const key = randomBytes(32).toString('base64');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('CREDENTIALS_KEYS', () => {
  it('lists id:key entries, the first the active one', () => {
    const other = randomBytes(32).toString('base64url');
    const keyring = parseCredentialKeys(` k2:${key} , k1:${other} `);
    expect(keyring.active.id).toBe('k2');
    expect(keyring.ids).toEqual(['k2', 'k1']);
    expect(keyring.get('k1')?.key).toEqual(Buffer.from(other, 'base64url'));
    expect(keyring.get('k3')).toBeUndefined();
  });

  it('takes a bare key as the key "default" (what a hosting platform generates)', () => {
    expect(parseCredentialKeys(key).active.id).toBe('default');
  });

  it('refuses what it cannot use, naming the entry but never the key', () => {
    const refused = (text: string) => {
      try {
        parseCredentialKeys(text);
      } catch (error) {
        expect(error).toBeInstanceOf(CredentialKeysError);
        return (error as Error).message;
      }
      throw new Error(`accepted ${text}`);
    };
    expect(refused('')).toMatch(/^CREDENTIALS_KEYS is empty/);
    expect(refused(`k1:${randomBytes(16).toString('base64')}`)).toMatch(
      /entry 1 \(key id "k1"\) is not 32 bytes of base64 \(16 bytes decoded\)/,
    );
    expect(refused(`k1:${key},bad id:${key}`)).toMatch(
      /^CREDENTIALS_KEYS entry 2: the key id is 1–32 letters/,
    );
    expect(refused(`k1:${key},k1:${key}`)).toBe('CREDENTIALS_KEYS names key id "k1" twice');
    expect(refused('k1:not base64!')).toMatch(/not 32 bytes/);
    expect(refused(`k1:${key},k2:${key.slice(0, 20)}`)).not.toContain(key.slice(0, 20));
  });
});

describe('the development key file', () => {
  it('is written once, readable by its owner only, and read from then on', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'automateos-keys-'));
    dirs.push(dir);
    const first = developmentKeys(path.join(dir, 'data'));
    expect(first.created).toBe(true);
    expect(statSync(first.file).mode & 0o777).toBe(0o600);
    expect(parseCredentialKeys(first.text).active.id).toMatch(/^dev\d{8}$/);
    const second = developmentKeys(path.join(dir, 'data'));
    expect(second).toEqual({ ...first, created: false });
    expect(readFileSync(first.file, 'utf8').trim()).toBe(first.text);
  });
});
