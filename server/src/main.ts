/** The web process: API, webhooks, health checks and the built client. It never runs steps. */
import type { Server } from 'node:http';
import path from 'node:path';
import { tokenKeys } from './auth/tokens';
import { createDb, createSql } from './db/client';
import { createApp } from './http/app';
import {
  exitWithConfigError,
  loadConfigOrExit,
  repoRoot,
  requireDatabaseUrl,
  resolveJwtSecret,
} from './runtime';

const config = loadConfigOrExit();
let databaseUrl: string;
let secret: string;
try {
  databaseUrl = requireDatabaseUrl(config);
  secret = resolveJwtSecret(config);
} catch (error) {
  exitWithConfigError(error);
}

const sql = createSql(databaseUrl);
const db = createDb(sql);
const publicUrl = (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, '');
const app = createApp({
  deps: { db, config, keys: tokenKeys(secret), publicUrl },
  sql,
  clientDir: process.env.AUTOMATEOS_CLIENT_DIR ?? path.join(repoRoot, 'client/dist'),
});

const server: Server = app.listen(config.PORT, config.HOST, () => {
  console.log(`web: listening on ${config.HOST}:${config.PORT}`);
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`web: ${signal} received, closing`);
  server.close(() => {
    void sql.end({ timeout: 5 }).then(() => process.exit(0));
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 10_000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
