/**
 * Migrations that have landed never change, and an installation of the previous release upgrades
 * cleanly: a database migrated with the previous release's migrations and holding data is migrated
 * with the current ones, keeps every row, and ends with the same schema as a fresh database.
 *
 * The seed below is written against the previous release's schema (drizzle/checksums.json,
 * `previousRelease`). When a release moves that marker, update the seed to that release's tables.
 */
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { createDb, createSql } from '../src/db/client';
import { migrationsFolder, runMigrations } from '../src/db/migrate';
import { readChecksumFile, readMigrationChecksums } from '../src/db/migration-checksums';
import { executionSteps, executions, loginThrottle, users, workflows } from '../src/db/schema';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** An empty database (not the migrated template), dropped after the file. */
async function emptyDatabase(): Promise<string> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `t_${process.ppid}_upgrade_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}" template template0`);
  await admin.end();
  cleanups.push(async () => {
    const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await dropper.unsafe(`drop database if exists "${name}" with (force)`);
    await dropper.end();
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The migrations folder as the previous release shipped it: the journal up to `previousRelease`. */
function previousReleaseFolder(): string {
  const source = migrationsFolder();
  const { previousRelease } = readChecksumFile(source);
  const journal = JSON.parse(readFileSync(path.join(source, 'meta', '_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const last = journal.entries.findIndex((entry) => entry.tag === previousRelease);
  expect(last, `previousRelease ${previousRelease} is in the journal`).toBeGreaterThanOrEqual(0);
  const entries = journal.entries.slice(0, last + 1);
  const folder = mkdtempSync(path.join(os.tmpdir(), 'automateos-previous-'));
  cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  mkdirSync(path.join(folder, 'meta'));
  writeFileSync(path.join(folder, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const { tag } of entries)
    copyFileSync(path.join(source, `${tag}.sql`), path.join(folder, `${tag}.sql`));
  return folder;
}

async function schemaOf(url: string) {
  const sql = createSql(url, { max: 1 });
  try {
    const columns = await sql`
      select table_name, column_name, data_type, is_nullable, column_default
      from information_schema.columns where table_schema in ('public', 'drizzle')
      order by table_name, column_name`;
    const indexes = await sql`
      select tablename, indexname, indexdef from pg_indexes where schemaname = 'public'
      order by tablename, indexname`;
    const constraints = await sql`
      select conrelid::regclass::text as table_name, conname, pg_get_constraintdef(oid) as definition
      from pg_constraint where connamespace = 'public'::regnamespace order by 1, 2`;
    return { columns: [...columns], indexes: [...indexes], constraints: [...constraints] };
  } finally {
    await sql.end();
  }
}

describe('committed migrations', () => {
  it('are unchanged since they were recorded, and every one is recorded', () => {
    const problems = readMigrationChecksums().flatMap(({ tag, actual, recorded }) =>
      recorded === undefined
        ? [`${tag} has no recorded checksum: run \`npm run db:checksums\` after generating a migration`]
        : recorded !== actual
          ? [`${tag} changed after it landed: restore it and add a new migration for the change`]
          : [],
    );
    expect(problems).toEqual([]);
  });

  it('upgrade a database of the previous release, keeping its data', async () => {
    const url = await emptyDatabase();
    await runMigrations(url, previousReleaseFolder());
    const sql = createSql(url, { max: 1 });
    cleanups.push(() => sql.end());
    // What a user of the previous release has: an account, a workflow, an execution with a step,
    // and a sign-in counter.
    await sql`
      with u as (
        insert into users (email, name, password_hash) values ('old@example.com', 'Old', '$argon2id$v=19$x')
        returning id
      ), w as (
        insert into workflows (user_id, name, active, definition, webhook_id)
        select id, 'Old workflow', true,
          '{"schemaVersion":1,"trigger":{"type":"webhook","config":{"method":"POST"}},"steps":[]}'::jsonb,
          'old-webhook-id-0123456789' from u
        returning id, user_id
      ), e as (
        insert into executions (workflow_id, user_id, status, mode, trigger, definition, workflow_version, finished_at)
        select id, user_id, 'succeeded', 'webhook', '{"method":"POST","body":{"n":1}}'::jsonb, '{}'::jsonb, 1, now() from w
        returning id
      )
      insert into execution_steps (execution_id, step_id, position, type, status, input, output, started_at, finished_at, duration_ms)
      select id, 'notify', 0, 'http', 'succeeded', '{}'::jsonb, '{"status":200}'::jsonb, now(), now(), 5 from e`;
    await sql`insert into login_throttle (key, failures) values ('old@example.com|203.0.113.1', 3)`;

    await runMigrations(url);

    // The current code reads every row.
    const db = createDb(sql);
    const [user] = await db.select().from(users);
    const [workflow] = await db.select().from(workflows);
    const [execution] = await db.select().from(executions);
    const [step] = await db.select().from(executionSteps);
    const [throttle] = await db.select().from(loginThrottle);
    expect(user).toMatchObject({ email: 'old@example.com', name: 'Old' });
    expect(workflow).toMatchObject({ name: 'Old workflow', active: true, userId: user?.id });
    expect(execution).toMatchObject({ status: 'succeeded', trigger: { body: { n: 1 } } });
    expect(step).toMatchObject({ stepId: 'notify', output: { status: 200 } });
    expect(throttle).toMatchObject({ failures: 3 });
    // The previous release's own queries still run (a rollback redeploys it against this schema):
    // the dashboard's step count, the execution page's step names, and webhook ingest.
    const [counted] = await sql<{ steps: number }[]>`
      select jsonb_array_length(definition -> 'steps') as steps from workflows`;
    expect(counted?.steps).toBe(0);
    await sql`select s ->> 'name' from executions e, jsonb_array_elements(e.definition -> 'steps') s`;
    const ingested = await sql`
      insert into executions (workflow_id, user_id, mode, trigger, definition, workflow_version)
      select w.id, w.user_id, 'webhook', v.trigger, w.definition, w.version
      from jsonb_to_recordset(${'[{"webhook_id":"old-webhook-id-0123456789","trigger":{"body":{}}}]'}::jsonb)
        as v(webhook_id text, trigger jsonb)
      join workflows w on w.webhook_id = v.webhook_id
      returning id`;
    expect(ingested).toHaveLength(1);

    const [applied] = await sql<{ n: number }[]>`select count(*)::int as n from drizzle.__drizzle_migrations`;
    expect(applied?.n).toBe(readMigrationChecksums().length);

    // And ends with exactly the schema of a database migrated from scratch.
    const fresh = await emptyDatabase();
    await runMigrations(fresh);
    expect(await schemaOf(url)).toEqual(await schemaOf(fresh));
  }, 60_000);
});
