/**
 * A connection of ours that the database kills just after start-up (a restart, a failover) fails
 * the query it carried and nothing else: no unhandled rejection (which would end the worker), and
 * the pool connects again. A proxy in front of the real database plays the dying server; a real
 * `pg_terminate_backend` kills a session in the middle of a statement.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../test/db';
import { createSql } from './client';

let tdb: TestDatabase;
beforeAll(async () => {
  tdb = await createTestDatabase();
});
afterAll(() => tdb.close());

/** The FATAL a backend sends when Postgres shuts down (or `pg_terminate_backend` hits it). */
function terminated(): Buffer {
  const fields = Buffer.from(
    'SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0',
  );
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

const READY_FOR_QUERY = Buffer.from([0x5a, 0, 0, 0, 5]); // 'Z', length 5

/**
 * Proxies to the database; the first connection is killed once its start-up is done: with the FATAL
 * right behind ReadyForQuery (`afterReady`), or in answer to the first thing the client sends.
 */
async function dyingProxy(upstream: URL, when: 'afterReady' | 'atFirstQuery') {
  let connections = 0;
  const server = net.createServer((client) => {
    const first = ++connections === 1;
    const db = net.connect(Number(upstream.port), upstream.hostname);
    let ready = false;
    client.on('data', (chunk) => {
      if (first && ready) {
        if (when === 'atFirstQuery') client.end(terminated());
        else client.end();
        db.destroy();
      } else db.write(chunk);
    });
    db.on('data', (chunk) => {
      if (first && !ready && chunk.includes(READY_FOR_QUERY)) {
        ready = true;
        client.write(when === 'afterReady' ? Buffer.concat([chunk, terminated()]) : chunk);
      } else client.write(chunk);
    });
    client.on('error', () => db.destroy());
    client.on('close', () => db.destroy());
    db.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(upstream);
  url.port = String((server.address() as net.AddressInfo).port);
  return { url: url.toString(), close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('database connections', () => {
  it.each(['afterReady', 'atFirstQuery'] as const)(
    'a connection killed right after start-up (%s) fails only its own query',
    async (when) => {
      const unhandled: unknown[] = [];
      const collect = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', collect);
      const proxy = await dyingProxy(new URL(tdb.url), when);
      const sql = createSql(proxy.url, { max: 1 });
      try {
        await expect(sql`select 1 as n`).rejects.toThrow(/CONNECTION_CLOSED|terminating connection/);
        // The next connection works, first time: the dead session's error is not replayed onto it
        // (porsager/postgres#1223, patched in patches/).
        const [row] = await sql`select 2 as n`;
        expect(row?.n).toBe(2);
        await new Promise((resolve) => setImmediate(resolve));
        expect(unhandled).toEqual([]);
      } finally {
        process.off('unhandledRejection', collect);
        await sql.end({ timeout: 1 });
        await proxy.close();
      }
    },
  );

  it('a session terminated during a statement fails that statement with the reason, and the next one runs', async () => {
    const sql = createSql(tdb.url, { max: 1 });
    const admin = createSql(tdb.url, { max: 1 });
    try {
      const [session] = await sql<{ pid: number }[]>`select pg_backend_pid() as pid`;
      const sleeping = sql`select pg_sleep(30)`.then(
        () => 'finished',
        (error: { code?: string }) => error.code,
      );
      await waitFor(async () => {
        const [row] =
          await admin`select count(*)::int as n from pg_stat_activity where pid = ${session?.pid ?? 0} and state = 'active'`;
        return row?.n === 1;
      });
      await admin`select pg_terminate_backend(${session?.pid ?? 0})`;
      expect(await sleeping).toBe('57P01');
      // Before the patch, this statement got the dead session's 57P01 although it never ran: a worker
      // took a database restart for a failed write and repeated a step that had already run.
      const [row] = await sql`select 3 as n`;
      expect(row?.n).toBe(3);
    } finally {
      await sql.end({ timeout: 1 });
      await admin.end({ timeout: 1 });
    }
  });
});

async function waitFor(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the statement never started');
}
