/**
 * One real PostgreSQL for the whole server test run: TEST_DATABASE_URL when given (a database the
 * tests may create databases next to), otherwise an embedded cluster in a fresh temp folder that the
 * `postgres` OS user can reach. Migrations are applied once to a template database; each test file
 * clones it (see ./db.ts).
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ensureDatabase, startEmbeddedPostgres } from '../src/db/embedded';
import { runMigrations } from '../src/db/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_URL;
  let stop = async () => {};
  if (!adminUrl) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'automateos-test-'));
    chmodSync(dir, 0o755);
    const pg = await startEmbeddedPostgres({ dir, database: 'postgres', log: () => {} });
    adminUrl = pg.url;
    stop = async () => {
      await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  const template = `automateos_template_${process.pid}`;
  const base = new URL(adminUrl);
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${template}" with (force)`);
  await admin.end();
  await ensureDatabase(adminUrl, template);
  base.pathname = `/${template}`;
  await runMigrations(base.toString());

  project.provide('adminDatabaseUrl', adminUrl);
  project.provide('templateDatabase', template);
  return async () => {
    const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
    const leftovers = await sql<{ datname: string }[]>`
      select datname from pg_database where datname like ${`t_${process.pid}_%`} or datname = ${template}`;
    for (const { datname } of leftovers)
      await sql.unsafe(`drop database if exists "${datname}" with (force)`);
    await sql.end();
    await stop();
  };
}
