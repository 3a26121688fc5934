import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Sql = postgres.Sql;

export interface SqlOptions {
  max?: number;
  /**
   * `synchronous_commit = off`: a commit returns before its WAL is flushed. Only for writes that a
   * later synchronous commit in the same WAL stream makes durable anyway (see worker.ts).
   */
  asyncCommit?: boolean;
  /** Shown in pg_stat_activity, so an operator can count each process's connections. */
  applicationName?: string;
}

export function createSql(url: string, options: SqlOptions = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    connection: {
      ...(options.applicationName ? { application_name: options.applicationName } : {}),
      ...(options.asyncCommit ? { synchronous_commit: 'off' } : {}),
    },
    onnotice: () => {},
    // No catalog query of array types on each new connection: postgres.js drops that query's promise,
    // so a connection that dies during it (a database restart) crashes the process with an unhandled
    // rejection (porsager/postgres#1192, #1223). Drizzle parses array columns itself; a raw query
    // takes a list as `in ${sql(ids)}`, not as one array parameter.
    fetch_types: false,
    // Fail fast when the database is down so callers can answer 503 instead of hanging.
    connect_timeout: 5,
    // postgres.js waits longer after each failed connection attempt, up to 20 s, and the count is the
    // pool's: a database back after a restart went unused for up to that long (8.6 s seen in the
    // postgres-restart fault test). At most a second instead.
    backoff: (retries: number) => Math.min(0.05 * 2 ** retries, 1),
    idle_timeout: 60,
  });
}

export function createDb(sql: Sql) {
  return drizzle(sql, { schema, casing: 'snake_case' });
}

export type Db = ReturnType<typeof createDb>;
export { schema };

/** A transaction of `Db`, as `db.transaction(async (tx) => …)` hands it over. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
