import { createHash } from 'node:crypto';
import path from 'node:path';
import type { Config } from '../config';
import { dataDir } from '../runtime';
import { type EmbeddedPostgres, reachableByPostgresUser, startEmbeddedPostgres } from './embedded';

export interface ProvidedDatabase {
  url: string;
  /** Set when we started an embedded Postgres that the caller must stop. */
  embedded?: EmbeddedPostgres;
}

/**
 * DATABASE_URL when set; otherwise the embedded Postgres. As root, Postgres runs as the `postgres`
 * OS user, which cannot enter a project cloned under a private folder such as /root: then, unless
 * AUTOMATEOS_DATA_DIR says where, the cluster lives in /var/lib/automateos/<project> instead.
 */
export async function provideDatabase(
  config: Config,
  log: (line: string) => void = console.log,
): Promise<ProvidedDatabase> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  let dir = path.join(dataDir(config), 'postgres');
  if (!config.AUTOMATEOS_DATA_DIR && !reachableByPostgresUser(dir)) {
    const id = createHash('sha256').update(dir).digest('hex').slice(0, 10);
    const fallback = path.join(
      '/var/lib/automateos',
      `${path.basename(path.dirname(path.dirname(dir)))}-${id}`,
    );
    log(
      `The OS user "postgres" cannot enter ${path.dirname(dir)}; keeping the embedded database in ${fallback} ` +
        '(set AUTOMATEOS_DATA_DIR to choose another folder).',
    );
    dir = fallback;
  }
  const embedded = await startEmbeddedPostgres({ dir, log });
  return { url: embedded.url, embedded };
}

/** Runs `work` against the configured database, starting and stopping an embedded one if needed. */
export async function withDatabase<T>(config: Config, work: (url: string) => Promise<T>): Promise<T> {
  const db = await provideDatabase(config);
  try {
    return await work(db.url);
  } finally {
    await db.embedded?.stop();
  }
}
