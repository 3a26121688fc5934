/**
 * The web process: API, webhooks, health checks and the built client. It runs no steps, unless
 * WORKER_MODE=inline makes it the worker too (for hosts without background workers).
 */
import type { Server } from 'node:http';
import path from 'node:path';
import { tokenKeys } from './auth/tokens';
import { systemClock } from './clock';
import type { Keyring } from './credentials/keys';
import { assertCredentialKeys } from './credentials/keys-in-use';
import { createDb, createSql } from './db/client';
import { runMigrations } from './db/migrate';
import { connectWithRetry } from './db/wait';
import { startWorker } from './engine/worker';
import { createApp } from './http/app';
import { LiveHub } from './live/hub';
import { createLogger } from './log';
import { createOutboundHttp } from './net/http-client';
import { createAddressPolicy } from './net/ssrf';
import { executionQueue, startBoss } from './queue/queues';
import {
  exitWithConfigError,
  loadConfigOrExit,
  repoRoot,
  requireDatabaseUrl,
  resolveCredentialKeys,
  resolveJwtSecret,
} from './runtime';

const config = loadConfigOrExit();
const log = createLogger(config, 'web');
let databaseUrl: string;
let secret: string;
let keyring: Keyring;
try {
  databaseUrl = requireDatabaseUrl(config);
  secret = resolveJwtSecret(config);
  keyring = resolveCredentialKeys(config, (line) => log.warn(line));
} catch (error) {
  exitWithConfigError(error);
}

const sql = createSql(databaseUrl, { applicationName: 'automateos-web' });
const db = createDb(sql);
await connectWithRetry(sql, log);
if (config.MIGRATE_ON_START) {
  // Under an advisory lock: two instances starting at once never migrate at the same time.
  try {
    await runMigrations(databaseUrl);
  } catch (error) {
    log.fatal({ err: error }, 'migrations failed; exiting');
    process.exit(1);
  }
  log.info('migrations applied');
}
try {
  await assertCredentialKeys(db, keyring);
} catch (error) {
  exitWithConfigError(error);
}
const inline = config.WORKER_MODE === 'inline';
const boss = await startBoss(databaseUrl, { maintenance: inline, log });
// Free hosting plans have no background workers: then this process runs the worker too.
const worker = inline
  ? await startWorker({ boss, db, config, keyring, log: log.child({ role: 'worker' }) })
  : undefined;
// For `credentials.test`: the web process checks a credential through the same guard as every step.
const http = createOutboundHttp({ policy: createAddressPolicy(config.SSRF_ALLOWLIST), log });

// One LISTEN connection for all live subscriptions of this process (and its inline worker's changes),
// open only while someone watches.
const live = new LiveHub({
  db,
  databaseUrl,
  limits: { perProcess: config.LIVE_MAX_SUBSCRIPTIONS, perUser: config.LIVE_MAX_SUBSCRIPTIONS_PER_USER },
  log: log.child({ role: 'live' }),
});

// Render sets RENDER_EXTERNAL_URL; elsewhere an unset PUBLIC_URL means this machine.
const publicUrl = (
  config.PUBLIC_URL ??
  process.env.RENDER_EXTERNAL_URL ??
  `http://localhost:${config.PORT}`
).replace(/\/$/, '');
const app = createApp({
  deps: {
    db,
    config,
    keys: tokenKeys(secret),
    publicUrl,
    queue: executionQueue(boss),
    live,
    keyring,
    http,
    clock: systemClock,
  },
  sql,
  logger: log,
  clientDir: process.env.AUTOMATEOS_CLIENT_DIR ?? path.join(repoRoot, 'client/dist'),
});

const server: Server = app.listen(config.PORT, config.HOST, () => {
  log.info(
    { port: config.PORT, workerMode: config.WORKER_MODE },
    `listening on ${config.HOST}:${config.PORT}`,
  );
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(`${signal} received, closing`);
  // Open streams end with "retry": their clients reconnect (to another instance) and resume. Every
  // answer from now on is the last on its connection, or reconnecting streams would keep arriving
  // over keep-alive connections and the server would never finish closing.
  server.on('request', (req, res) => res.once('finish', () => req.socket.end()));
  void live.close();
  server.close(async () => {
    await worker?.stop();
    await http.close();
    await boss.stop({ graceful: true, timeout: 5_000 });
    await sql.end({ timeout: 5 });
    process.exit(0);
  });
  server.closeIdleConnections();
  // The streams just ended leave idle connections behind: close those too, as they appear.
  setInterval(() => server.closeIdleConnections(), 100).unref();
  setTimeout(() => process.exit(1), 30_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
