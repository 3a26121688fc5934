import { randomBytes } from 'node:crypto';
import type { PgBoss } from 'pg-boss';
import postgres from 'postgres';
import { inject } from 'vitest';
import { createDb, createSql, type Db, type Sql } from '../src/db/client';
import { LiveHub } from '../src/live/hub';
import { executionQueue, startBoss } from '../src/queue/queues';
import type { ExecutionQueue } from '../src/services/executions';

export interface TestDatabase {
  url: string;
  sql: Sql;
  db: Db;
  /** A started pg-boss (sender only) on this database; stopped by close(). */
  boss(): Promise<PgBoss>;
  /** This database's live hub (one LISTEN connection), created on first use; closed by close(). */
  live(): LiveHub;
  close(): Promise<void>;
}

const byDb = new WeakMap<Db, TestDatabase>();

/** The queue of the database `db` belongs to (for test deps built from a bare Db). */
export async function queueFor(db: Db): Promise<ExecutionQueue> {
  const tdb = byDb.get(db);
  if (!tdb) throw new Error('not a test database');
  return executionQueue(await tdb.boss());
}

/** The live hub of the database `db` belongs to (for test deps built from a bare Db). */
export function liveFor(db: Db): LiveHub {
  const tdb = byDb.get(db);
  if (!tdb) throw new Error('not a test database');
  return tdb.live();
}

/** A fresh, migrated database of its own (a clone of the template made by global-setup). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const template = inject('templateDatabase');
  const name = `t_${process.ppid}_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    // Two clones of one template at the same instant can collide; retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.unsafe(`create database "${name}" template "${template}"`);
        break;
      } catch (error) {
        if (attempt >= 20 || !String((error as Error).message).includes('being accessed')) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString());
  let boss: Promise<PgBoss> | undefined;
  let live: LiveHub | undefined;
  const tdb: TestDatabase = {
    url: url.toString(),
    sql,
    db: createDb(sql),
    boss() {
      boss ??= startBoss(url.toString(), { maintenance: false, max: 2 });
      return boss;
    },
    live() {
      live ??= new LiveHub({
        db: tdb.db,
        databaseUrl: url.toString(),
        limits: { perProcess: 1000, perUser: 20 },
      });
      return live;
    },
    async close() {
      await live?.close();
      if (boss) await (await boss).stop({ graceful: false, timeout: 2_000 }).catch(() => {});
      await sql.end({ timeout: 5 });
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
  byDb.set(tdb.db, tdb);
  return tdb;
}
