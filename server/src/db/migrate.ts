import { existsSync } from 'node:fs';
import path from 'node:path';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { repoRoot } from '../runtime';
import { createDb, createSql } from './client';

/** The committed SQL migrations: `drizzle/` at the repository root (copied next to a production build). */
export function migrationsFolder(): string {
  const candidates = [
    process.env.AUTOMATEOS_MIGRATIONS_DIR,
    path.join(repoRoot, 'drizzle'),
    path.resolve('drizzle'),
  ];
  for (const dir of candidates) if (dir && existsSync(path.join(dir, 'meta/_journal.json'))) return dir;
  throw new Error('Cannot find the drizzle/ migrations folder; set AUTOMATEOS_MIGRATIONS_DIR');
}

// Any fixed 64-bit number works; it only has to be the same for every instance of AutomateOS.
const MIGRATION_LOCK = 7_366_210_945_112n;

/** Applies pending migrations under an advisory lock, so two instances starting at once never race. */
export async function runMigrations(databaseUrl: string, folder = migrationsFolder()): Promise<void> {
  const sql = createSql(databaseUrl, { max: 1 });
  try {
    await sql`select pg_advisory_lock(${MIGRATION_LOCK.toString()})`;
    await migrate(createDb(sql), { migrationsFolder: folder });
    await sql`select pg_advisory_unlock(${MIGRATION_LOCK.toString()})`;
  } finally {
    await sql.end({ timeout: 5 });
  }
}

/** Names of the journal entries, to check that a database is fully migrated (readiness). */
export async function expectedMigrationCount(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const journal = JSON.parse(await readFile(path.join(migrationsFolder(), 'meta/_journal.json'), 'utf8')) as {
    entries: unknown[];
  };
  return journal.entries.length;
}
