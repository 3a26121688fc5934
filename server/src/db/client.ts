import { drizzle } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';

export type Sql = postgres.Sql;

export function createSql(url: string, options: { max?: number } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // Fail fast when the database is down so callers can answer 503 instead of hanging.
    connect_timeout: 5,
    idle_timeout: 60,
  });
}

export function createDb(sql: Sql) {
  return drizzle(sql, { schema, casing: 'snake_case' });
}

export type Db = ReturnType<typeof createDb>;
export { schema };
