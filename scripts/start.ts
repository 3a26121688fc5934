/**
 * `npm start`: the whole product on one machine with no configuration. Starts the embedded
 * PostgreSQL (unless DATABASE_URL is set), applies migrations, builds the client when it is missing,
 * then runs the web process and a worker process side by side, and stops all of it on Ctrl-C.
 * `npm run dev` does the same with Vite hot reload and server restarts on change.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { runMigrations } from '../server/src/db/migrate';
import { provideDatabase } from '../server/src/db/provision';
import {
  credentialKeysText,
  exitWithConfigError,
  loadConfigOrExit,
  NODE_FLAGS,
  repoRoot,
  resolveJwtSecret,
} from '../server/src/runtime';

const dev = process.argv.includes('--dev');
const startedAt = Date.now();
const log = (line: string) => console.log(`[automateos] ${line}`);
const config = loadConfigOrExit();
const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');

let jwtSecret: string;
let credentialsKeys: string;
try {
  jwtSecret = resolveJwtSecret(config);
  // Resolved here, once, so the web process and the worker get the same keys.
  credentialsKeys = credentialKeysText(config, log);
} catch (error) {
  exitWithConfigError(error);
}

const portTaken = await new Promise<boolean>((resolve) => {
  const probe = net.createServer();
  probe.once('error', () => resolve(true));
  probe.listen(config.PORT, config.HOST, () => probe.close(() => resolve(false)));
});
if (portTaken) {
  console.error(
    `[automateos] Port ${config.PORT} is already in use. Stop what uses it, or pick another: PORT=3001 npm start`,
  );
  process.exit(1);
}

const database = await provideDatabase(config, log).catch((error: unknown) => {
  console.error(`[automateos] Could not start the database: ${(error as Error).message}`);
  process.exit(1);
});
try {
  await runMigrations(database.url);
} catch (error) {
  console.error(`[automateos] Could not apply the database migrations: ${(error as Error).message}`);
  await database.embedded?.stop();
  process.exit(1);
}
log(
  `database ready (${database.embedded ? `embedded PostgreSQL on port ${database.embedded.port}` : 'DATABASE_URL'})`,
);

if (!dev) {
  // turbo replays its cache when nothing changed (about a second), so every start runs what is checked out.
  const firstBuild = !existsSync(path.join(repoRoot, 'client/dist/index.html'));
  log(
    firstBuild
      ? 'building the web client and the server (first start only; about a minute)…'
      : 'checking the build…',
  );
  const build = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/turbo'),
    ['run', 'build', '--output-logs=errors-only'],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      cwd: repoRoot,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
    },
  );
  if (build.status !== 0) {
    console.error('[automateos] The build failed; see the output above (or run `npm run build`).');
    await database.embedded?.stop();
    process.exit(1);
  }
}

const env = {
  ...process.env,
  DATABASE_URL: database.url,
  JWT_SECRET: jwtSecret,
  CREDENTIALS_KEYS: credentialsKeys,
  PORT: String(config.PORT),
};
const children: ChildProcess[] = [];
const names: string[] = [];
let stopping = false;

function run(name: string, command: string, args: string[], extraEnv: Record<string, string> = {}) {
  const child = spawn(command, args, { cwd: repoRoot, env: { ...env, ...extraEnv }, stdio: 'inherit' });
  names.push(name);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`[automateos] ${name} exited (${signal ?? code}); stopping everything.`);
      void stop(1);
    }
  });
  children.push(child);
}

// In dev, tsx restarts the process on change; otherwise node runs the built bundle directly.
const runServer = (name: 'main' | 'worker') =>
  dev
    ? run(name === 'main' ? 'web' : name, tsx, ['watch', '--clear-screen=false', `server/src/${name}.ts`])
    : run(name === 'main' ? 'web' : name, process.execPath, [...NODE_FLAGS, `server/dist/${name}.js`]);
runServer('main');
if (config.WORKER_MODE === 'separate') runServer('worker');
if (dev) {
  run('vite', 'npm', ['run', 'dev', '-w', '@automateos/client'], { API_PORT: String(config.PORT) });
}

/**
 * Longest wait for the web and worker processes to drain (the worker lets running executions
 * finish for up to 25 s). A process still running then is killed; a second Ctrl-C kills at once.
 * Either way the embedded PostgreSQL is stopped cleanly afterwards, never left running.
 */
const STOP_TIMEOUT_MS = 30_000;
const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
let forceStop = () => {};

async function stop(code: number) {
  if (stopping) {
    forceStop();
    return;
  }
  stopping = true;
  log(
    `stopping… (waiting up to ${STOP_TIMEOUT_MS / 1000} s for running executions; Ctrl-C again to stop now)`,
  );
  const exited = children.map(
    (child) =>
      new Promise<void>((resolve) => {
        if (!alive(child)) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  );
  const killAll = (why: string) => {
    for (const [i, child] of children.entries()) {
      if (!alive(child)) continue;
      log(`${names[i]} (pid ${child.pid}) ${why}; killing it.`);
      child.kill('SIGKILL');
    }
  };
  forceStop = () => killAll('was asked to stop twice');
  const timer = setTimeout(() => killAll(`did not stop within ${STOP_TIMEOUT_MS / 1000} s`), STOP_TIMEOUT_MS);
  await Promise.all(exited);
  clearTimeout(timer);
  await database.embedded?.stop();
  log('stopped.');
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));

/**
 * The status of a local URL, or 0. Through an agent of its own: with NODE_USE_ENV_PROXY=1 and
 * HTTP_PROXY set (usual behind a corporate proxy), fetch and the default agent would send even
 * requests to localhost through the proxy.
 */
function localStatus(target: string): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(target, { agent: new http.Agent(), timeout: 2_000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy());
    request.on('error', () => resolve(0));
  });
}

// Ready when the web process answers /readyz.
const url = `http://localhost:${config.PORT}`;
for (let i = 0; i < 600 && !stopping; i++) {
  const ok = (await localStatus(`${url}/readyz`)) === 200;
  if (ok) {
    const where = dev ? 'http://localhost:5173 (Vite, hot reload)' : url;
    log(
      `AutomateOS is ready at ${where} (${((Date.now() - startedAt) / 1000).toFixed(1)} s). Press Ctrl-C to stop.`,
    );
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
