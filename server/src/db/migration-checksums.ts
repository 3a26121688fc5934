/**
 * Checksums of the committed migrations, recorded beside drizzle's journal
 * (drizzle/checksums.json). A migration that has landed is never edited — databases that
 * already ran it would never see the change — so the server suite compares every migration with
 * its recorded checksum. `previousRelease` names the last migration of the previous release: the
 * upgrade test migrates a database to it first, then to the current migrations.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { migrationsFolder } from './migrate';

export interface ChecksumFile {
  previousRelease: string;
  migrations: Record<string, string>;
}

export interface MigrationChecksum {
  tag: string;
  actual: string;
  recorded: string | undefined;
}

const fileOf = (folder: string) => path.join(folder, 'checksums.json');

export function journalTags(folder = migrationsFolder()): string[] {
  const journal = JSON.parse(readFileSync(path.join(folder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  return journal.entries.map((entry) => entry.tag);
}

export function readChecksumFile(folder = migrationsFolder()): ChecksumFile {
  return JSON.parse(readFileSync(fileOf(folder), 'utf8')) as ChecksumFile;
}

const sha256 = (folder: string, tag: string) =>
  createHash('sha256')
    .update(readFileSync(path.join(folder, `${tag}.sql`)))
    .digest('hex');

/** Every migration of the journal with its checksum now and as recorded (undefined: not yet). */
export function readMigrationChecksums(folder = migrationsFolder()): MigrationChecksum[] {
  const { migrations } = readChecksumFile(folder);
  return journalTags(folder).map((tag) => ({ tag, actual: sha256(folder, tag), recorded: migrations[tag] }));
}

/** Records the migrations that have no checksum yet; never rewrites one. */
export function writeMigrationChecksums(folder = migrationsFolder()): { recorded: number; added: string[] } {
  const file = readChecksumFile(folder);
  const added: string[] = [];
  for (const { tag, actual, recorded } of readMigrationChecksums(folder)) {
    if (recorded !== undefined) continue;
    file.migrations[tag] = actual;
    added.push(tag);
  }
  if (added.length > 0) writeFileSync(fileOf(folder), `${JSON.stringify(file, null, 2)}\n`);
  return { recorded: Object.keys(file.migrations).length, added };
}
