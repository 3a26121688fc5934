/**
 * Production smoke test: what Render would run, run here. `npm run build`, an empty database, the
 * Blueprint's pre-deploy command, then the built web and worker (plain `node`, NODE_ENV=production,
 * the Blueprint's own settings): readiness, the client's pages in Chromium under the real
 * Content-Security-Policy, a webhook that becomes a succeeded execution, structured logs without
 * secrets, and SIGTERM. The same for the free variant (render.free.yaml: WORKER_MODE=inline,
 * migrations at start, two instances starting at once). And production refusing to start without
 * JWT_SECRET or DATABASE_URL.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { createDb, createSql, type Db, type Sql } from '../src/db/client';
import { freePort } from '../src/net/free-port';
import {
  exampleDefinition,
  insertUser,
  insertWorkflow,
  startTarget,
  type Target,
  waitForExecution,
} from './fixtures';

const root = path.resolve(import.meta.dirname, '../..');
const SECOND = 1000;

interface Service {
  type: string;
  startCommand: string;
  preDeployCommand?: string;
  envVars: { key?: string; value?: unknown }[];
}
const blueprint = (file: string) =>
  parse(readFileSync(path.join(root, file), 'utf8')) as { services: Service[] };
const service = (file: string, type: string) => {
  const found = blueprint(file).services.find((s) => s.type === type);
  if (!found) throw new Error(`${file} has no ${type} service`);
  return found;
};
/** The literal settings a Blueprint service sets (NODE_VERSION is for Render's build, not for us). */
const literalEnv = (svc: Service) =>
  Object.fromEntries(
    svc.envVars
      .filter((e) => e.key && e.key !== 'NODE_VERSION' && e.value !== undefined)
      .map((e) => [e.key, String(e.value)]),
  );
// The Blueprint's commands are plain words (no shell), so they run here exactly as written.
const argv = (command: string) => command.split(' ');

const log = (message: string) => console.log(`[production] ${message}`);
const olderNode = findOlderNode();
const since = (start: number) => `${((Date.now() - start) / SECOND).toFixed(1)} s`;

// ---------------------------------------------------------------------------------------------
// Processes: every child is tracked and killed in afterAll, whatever happened.

interface Managed {
  name: string;
  child: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
}
const children: Managed[] = [];

function start(name: string, command: string, env: Record<string, string>): Managed {
  const [bin = '', ...args] = argv(command);
  const child = spawn(bin, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    output.push(...lines);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      if (partial) output.push(partial);
      resolve(code);
    });
    child.once('error', () => resolve(-1));
  });
  const managed = { name, child, output, exited };
  children.push(managed);
  return managed;
}

async function run(name: string, command: string, env: Record<string, string>, timeoutMs: number) {
  const proc = start(name, command, env);
  const timer = setTimeout(() => proc.child.kill('SIGKILL'), timeoutMs);
  const code = await proc.exited;
  clearTimeout(timer);
  if (code !== 0) throw new Error(`${command} exited ${code}:\n${proc.output.slice(-40).join('\n')}`);
  return proc;
}

/** Sends SIGTERM and waits (bounded) for the exit code. */
async function stop(proc: Managed, timeoutMs = 45 * SECOND): Promise<number | null | 'timeout'> {
  proc.child.kill('SIGTERM');
  return Promise.race([
    proc.exited,
    new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs).unref()),
  ]);
}

async function waitReady(base: string, proc: Managed, timeoutMs = 120 * SECOND) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (proc.child.exitCode !== null)
      throw new Error(`${proc.name} exited ${proc.child.exitCode}:\n${proc.output.slice(-30).join('\n')}`);
    const status = await fetch(`${base}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > until)
      throw new Error(`${base}/readyz not ready (${status}):\n${proc.output.slice(-30).join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// ---------------------------------------------------------------------------------------------
// Databases: empty ones (nothing migrated), named so global-setup's teardown drops leftovers.

const pools: Sql[] = [];
async function emptyDatabase(): Promise<{ url: string; sql: Sql; db: Db; drop(): Promise<void> }> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `t_${process.ppid}_prod_${randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const sql = createSql(url.toString());
  pools.push(sql);
  return {
    url: url.toString(),
    sql,
    db: createDb(sql),
    async drop() {
      await sql.end({ timeout: 5 });
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await dropper.unsafe(`drop database if exists "${name}" with (force)`);
      await dropper.end();
    },
  };
}

const migrationCount = () =>
  (JSON.parse(readFileSync(path.join(root, 'drizzle/meta/_journal.json'), 'utf8')) as { entries: unknown[] })
    .entries.length;

// ---------------------------------------------------------------------------------------------

/** A minimal environment: nothing of the test runner's (NODE_ENV=test, VITEST_*) leaks in. */
const baseEnv = (): Record<string, string> => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? os.homedir(),
  ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
});

let browser: Browser;
let target: Target;

beforeAll(async () => {
  const started = Date.now();
  const buildEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && entry[0] !== 'NODE_ENV' && !entry[0].startsWith('VITEST'),
    ),
  );
  await run('build', 'npm run build', { ...buildEnv, TURBO_TELEMETRY_DISABLED: '1' }, 600 * SECOND);
  log(`npm run build: ${since(started)}`);
  const launched = Date.now();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  log(`chromium launched: ${since(launched)}`);
  target = await startTarget();
}, 900 * SECOND);

afterAll(async () => {
  for (const { child } of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await browser?.close();
  await target?.close();
  for (const sql of pools) await sql.end({ timeout: 5 }).catch(() => {});
});

/** Loads `url` in a fresh page and reports everything the browser complained about. */
async function renderPage(page: Page, url: string) {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A request the app itself cancelled (navigation, a superseded query) is not a failure.
    if (r.failure()?.errorText !== 'net::ERR_ABORTED')
      problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  // Runs in the page (a DOM script, kept as text: this package compiles without DOM types).
  await page.addInitScript({
    content: `document.addEventListener('securitypolicyviolation', (e) =>
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI));`,
  });
  const response = await page.goto(url, { waitUntil: 'load', timeout: 60 * SECOND });
  // Rendered: React has put a heading on the page (every route has one).
  await page
    .getByRole('heading')
    .first()
    .waitFor({ timeout: 60 * SECOND });
  await page.waitForLoadState('networkidle', { timeout: 30 * SECOND }).catch(() => {});
  return { response, problems, heading: await page.getByRole('heading').first().textContent() };
}

async function checkPages(base: string, mode: string) {
  const home = await fetch(`${base}/`);
  expect(home.status).toBe(200);
  expect(home.headers.get('content-type')).toMatch(/^text\/html/);
  const csp = home.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(home.headers.get('x-content-type-options')).toBe('nosniff');
  expect(home.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
  expect(home.headers.get('x-frame-options')).toBe('DENY');
  expect(home.headers.get('cache-control')).toBe('no-cache');
  const html = await home.text();

  const deep = await fetch(`${base}/sign-up`);
  expect(deep.status).toBe(200);
  expect(deep.headers.get('content-security-policy')).toBe(csp);
  expect(await deep.text()).toBe(html); // index.html fallback for a client route

  // Hashed assets: cached for a year, compressed.
  const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  expect(asset).toBeDefined();
  const js = await fetch(`${base}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
  expect(js.status).toBe(200);
  expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  expect(js.headers.get('content-encoding')).toBe('gzip');

  const context = await browser.newContext();
  try {
    const signedOut = await renderPage(await context.newPage(), `${base}/sign-up`);
    expect(signedOut.response?.status()).toBe(200);
    expect(signedOut.problems).toEqual([]);

    // Sign up from the page itself (same origin, like the form does), then open the dashboard.
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`, { waitUntil: 'load' });
    const status = await page.evaluate(
      async (email) =>
        (
          await fetch('/trpc/auth.register', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ json: { email, password: 'correct-horse-battery' } }),
          })
        ).status,
      `smoke-${mode}-${randomBytes(3).toString('hex')}@example.com`,
    );
    expect(status).toBe(200);
    const dashboardPage = await context.newPage();
    const dashboard = await renderPage(dashboardPage, `${base}/`);
    expect(dashboard.problems).toEqual([]);
    expect(new URL(dashboardPage.url()).pathname).toBe('/'); // signed in: not sent to /sign-in
    expect(dashboard.heading?.trim()).toBeTruthy();
    const shot = path.join(os.tmpdir(), `automateos-production-${mode}.png`);
    await dashboardPage.screenshot({ path: shot });
    log(`${mode}: pages render without console errors (screenshot ${shot})`);
  } finally {
    await context.close();
  }
}

async function sendWebhook(base: string, db: Db) {
  const user = await insertUser(db);
  const workflow = await insertWorkflow(db, user.id, exampleDefinition(target.url));
  const requestId = `smoke-${randomBytes(6).toString('hex')}`;
  const before = target.requests.length;
  const sent = Date.now();
  const res = await fetch(`${base}/hooks/${workflow.webhookId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-request-id': requestId },
    body: JSON.stringify({ user: { id: 'u-42', plan: 'pro' }, amount: 42 }),
  });
  expect(res.status).toBe(202);
  expect(res.headers.get('x-request-id')).toBe(requestId);
  const { executionId } = (await res.json()) as { executionId: string };
  const row = await waitForExecution(db, executionId, 120 * SECOND);
  log(`webhook → execution ${row.status} in ${Date.now() - sent} ms`);
  expect(row.status).toBe('succeeded');
  const delivered = target.requests.slice(before).find((r) => r.url === '/events');
  expect(JSON.parse(delivered?.body ?? '{}')).toEqual({ user: 'u-42', amount: 42 });
  return { requestId, executionId };
}

/** Every line a process printed is a JSON log record; none contains a secret. */
function checkLogs(procs: Managed[], secrets: string[]) {
  const records: Record<string, unknown>[] = [];
  for (const proc of procs) {
    for (const line of proc.output) {
      if (line.trim() === '') continue;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`${proc.name} printed a line that is not JSON: ${line}`);
      }
      expect(typeof record.level, line).toBe('number');
      expect(typeof record.msg, line).toBe('string');
      records.push(record);
    }
    for (const secret of secrets)
      expect(proc.output.join('\n').includes(secret), `${proc.name} logged a secret`).toBe(false);
  }
  return records;
}

describe('production build', () => {
  it(
    'serves the product from the Blueprint commands: web + worker + pre-deploy migration',
    async () => {
      const web = service('render.yaml', 'web');
      const worker = service('render.yaml', 'worker');
      const database = await emptyDatabase();
      const secret = randomBytes(32).toString('base64'); // what Render's generateValue produces
      const credentialsKey = randomBytes(32).toString('base64'); // the same, a key with the id "default"
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const env = {
        ...baseEnv(),
        DATABASE_URL: database.url,
        JWT_SECRET: secret,
        CREDENTIALS_KEYS: credentialsKey,
        SSRF_ALLOWLIST: '127.0.0.1/32', // the test's target server is on loopback
      };
      try {
        let t = Date.now();
        expect(web.preDeployCommand).toBeDefined();
        await run('pre-deploy', web.preDeployCommand ?? '', { ...env, ...literalEnv(web) }, 180 * SECOND);
        const [applied] = await database.sql<
          { n: number }[]
        >`select count(*)::int as n from drizzle.__drizzle_migrations`;
        expect(applied?.n).toBe(migrationCount());
        log(`pre-deploy (${web.preDeployCommand}): ${since(t)}`);
        // Both services deploy it; the second run finds nothing to do.
        await run(
          'pre-deploy (worker)',
          worker.preDeployCommand ?? '',
          { ...env, ...literalEnv(worker) },
          180 * SECOND,
        );

        t = Date.now();
        const webProc = start('web', web.startCommand, {
          ...env,
          ...literalEnv(web),
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: base,
        });
        const workerProc = start('worker', worker.startCommand, { ...env, ...literalEnv(worker) });
        await waitReady(base, webProc);
        log(`web ready: ${since(t)}`);

        await checkPages(base, 'separate');
        const { requestId, executionId } = await sendWebhook(base, database.db);

        t = Date.now();
        const [webExit, workerExit] = await Promise.all([stop(webProc), stop(workerProc)]);
        log(`SIGTERM → web exited ${webExit}, worker exited ${workerExit}: ${since(t)}`);
        expect(webExit).toBe(0);
        expect(workerExit).toBe(0);

        const records = checkLogs(
          [webProc, workerProc],
          [secret, credentialsKey, new URL(database.url).password || secret],
        );
        const hook = records.find((r) => (r.req as { id?: string } | undefined)?.id === requestId);
        expect(hook?.name).toBe('web');
        expect((hook?.res as { statusCode?: number } | undefined)?.statusCode).toBe(202);
        // The execution can be followed from the request's log line to the worker's.
        expect(hook?.executionId).toBe(executionId);
        // The webhook id is a credential: the log keeps only its first characters.
        expect((hook?.req as { url?: string } | undefined)?.url).toMatch(/^\/hooks\/[\w-]{4}…$/);
        expect(
          records.some(
            (r) => r.name === 'worker' && r.executionId === executionId && r.msg === 'execution finished',
          ),
        ).toBe(true);
        expect(records.some((r) => r.name === 'worker' && r.msg === 'taking executions')).toBe(true);
      } finally {
        await database.drop();
      }
    },
    600 * SECOND,
  );

  it(
    'free variant: WORKER_MODE=inline, migrations at start, two instances at once',
    async () => {
      const web = service('render.free.yaml', 'web');
      expect(web.preDeployCommand).toBeUndefined();
      const settings = literalEnv(web);
      expect(settings).toMatchObject({ WORKER_MODE: 'inline', MIGRATE_ON_START: 'true' });
      const database = await emptyDatabase();
      const secret = randomBytes(32).toString('base64');
      const credentialsKey = randomBytes(32).toString('base64');
      const ports = [await freePort(), await freePort()];
      const bases = ports.map((port) => `http://127.0.0.1:${port}`);
      try {
        const t = Date.now();
        // Two instances on an empty database at the same moment: the advisory lock lets one migrate.
        const procs = ports.map((port, i) =>
          start(`web-inline-${i}`, web.startCommand, {
            ...baseEnv(),
            ...settings,
            DATABASE_URL: database.url,
            JWT_SECRET: secret,
            CREDENTIALS_KEYS: credentialsKey,
            SSRF_ALLOWLIST: '127.0.0.1/32',
            PORT: String(port),
            HOST: '127.0.0.1',
            PUBLIC_URL: `http://127.0.0.1:${port}`,
          }),
        );
        await Promise.all(procs.map((proc, i) => waitReady(bases[i] ?? '', proc)));
        log(`two inline instances migrated and ready: ${since(t)}`);
        const [applied] = await database.sql<
          { n: number }[]
        >`select count(*)::int as n from drizzle.__drizzle_migrations`;
        expect(applied?.n).toBe(migrationCount());

        await checkPages(bases[0] ?? '', 'inline');
        await sendWebhook(bases[1] ?? '', database.db);

        const exits = await Promise.all(procs.map((proc) => stop(proc)));
        expect(exits).toEqual([0, 0]);
        const records = checkLogs(procs, [secret, credentialsKey]);
        expect(records.filter((r) => r.msg === 'migrations applied')).toHaveLength(2);
      } finally {
        await database.drop();
      }
    },
    600 * SECOND,
  );

  it.each([
    [
      'web',
      'JWT_SECRET',
      'JWT_SECRET is required in production; generate one with `openssl rand -base64 48`',
    ],
    [
      'worker',
      'JWT_SECRET',
      'JWT_SECRET is required in production; generate one with `openssl rand -base64 48`',
    ],
    ['web', 'DATABASE_URL', 'DATABASE_URL is required in production'],
    ['web', 'CREDENTIALS_KEYS', 'CREDENTIALS_KEYS is required in production'],
    ['worker', 'CREDENTIALS_KEYS', 'CREDENTIALS_KEYS is required in production'],
  ])(
    '%s refuses to start in production without %s',
    async (type, missing, message) => {
      const svc = service('render.yaml', type);
      const env: Record<string, string> = {
        ...baseEnv(),
        ...literalEnv(svc),
        DATABASE_URL: 'postgresql://automateos:pw@127.0.0.1:1/automateos',
        JWT_SECRET: randomBytes(32).toString('base64'),
        CREDENTIALS_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      };
      delete env[missing];
      const proc = start(`${type} without ${missing}`, svc.startCommand, env);
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 60 * SECOND);
      const code = await proc.exited;
      clearTimeout(timer);
      expect(code).not.toBe(0);
      expect(code).not.toBeNull();
      expect(proc.output.join('\n')).toContain(message);
    },
    90 * SECOND,
  );

  it(
    '`npm start` behind an HTTP proxy: ready without a proxy connection; a stuck worker is killed and Postgres still stops',
    async () => {
      // A proxy that only counts: the launcher's own calls to localhost must never reach it.
      let proxied = 0;
      const proxy = createServer((socket) => {
        proxied++;
        socket.end('HTTP/1.1 502 Bad Gateway\r\ncontent-length: 0\r\n\r\n');
      });
      await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
      const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      const dir = mkdtempSync(path.join(os.tmpdir(), 'automateos-launcher-'));
      chmodSync(dir, 0o755);
      // Preloaded into every process: the built worker freezes on SIGTERM/SIGINT, as a worker stuck
      // in a step would (bounded, so it ends by itself if everything else failed).
      const freeze = path.join(dir, 'freeze-worker.mjs');
      writeFileSync(
        freeze,
        `import { writeFileSync } from 'node:fs';
if (process.argv[1]?.endsWith('dist/worker.js')) {
  writeFileSync(${JSON.stringify(path.join(dir, 'worker.pid'))}, String(process.pid));
  const freeze = () => { const until = Date.now() + 120000; while (Date.now() < until) {} };
  process.prependListener('SIGTERM', freeze);
  process.prependListener('SIGINT', freeze);
}
`,
      );
      const port = await freePort();
      const launcher = start('npm start', 'node_modules/.bin/tsx scripts/start.ts', {
        ...baseEnv(),
        PORT: String(port),
        AUTOMATEOS_DATA_DIR: path.join(dir, 'data'),
        NODE_USE_ENV_PROXY: '1',
        HTTP_PROXY: proxyUrl,
        HTTPS_PROXY: proxyUrl,
        NODE_OPTIONS: `--import ${pathToFileURL(freeze).href}`,
      });
      try {
        const until = Date.now() + 180 * SECOND;
        while (!launcher.output.some((line) => line.includes('AutomateOS is ready at'))) {
          if (launcher.child.exitCode !== null || Date.now() > until) {
            throw new Error(`npm start was not ready:\n${launcher.output.slice(-30).join('\n')}`);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
        const workerPid = Number(readFileSync(path.join(dir, 'worker.pid'), 'utf8'));
        const postmaster = readFileSync(
          path.join(dir, 'data', 'postgres', 'cluster', 'postmaster.pid'),
          'utf8',
        );
        const postgresPid = Number(postmaster.split('\n')[0]);
        const isAlive = (pid: number) => {
          try {
            process.kill(pid, 0);
            return true;
          } catch {
            return false;
          }
        };
        expect([isAlive(workerPid), isAlive(postgresPid)]).toEqual([true, true]);

        const stopping = Date.now();
        launcher.child.kill('SIGINT');
        const code = await Promise.race([
          launcher.exited,
          new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 60 * SECOND).unref()),
        ]);
        const stopSeconds = (Date.now() - stopping) / SECOND;
        const output = launcher.output.join('\n');
        log(
          `npm start behind a proxy: ${proxied} proxy connections; stopped with a frozen worker in ${stopSeconds.toFixed(1)} s (exit ${code}); worker alive ${isAlive(workerPid)}, postgres alive ${isAlive(postgresPid)}`,
        );
        expect(proxied).toBe(0);
        expect(code).toBe(0);
        expect(output).toMatch(/worker \(pid \d+\) did not stop within 30 s; killing it\./);
        expect(output).toContain('[automateos] stopped.');
        expect([isAlive(workerPid), isAlive(postgresPid)]).toEqual([false, false]);
      } finally {
        launcher.child.kill('SIGKILL');
        proxy.close();
        rmSync(dir, { recursive: true, force: true });
      }
    },
    300 * SECOND,
  );

  it.skipIf(olderNode === undefined)(
    `the built entry points refuse an older Node (${olderNode?.version ?? 'none found'}) with a message, not a crash`,
    () => {
      const results = ['main', 'worker', 'migrate'].map((entry) => {
        const run = spawnSync(olderNode?.path ?? '', [`server/dist/${entry}.js`], {
          cwd: root,
          env: baseEnv(),
          encoding: 'utf8',
          timeout: 30 * SECOND,
        });
        return { entry, status: run.status, signal: run.signal, stderr: run.stderr.trim().split('\n')[0] };
      });
      log(`${olderNode?.path} ${olderNode?.version}: ${JSON.stringify(results)}`);
      for (const result of results) {
        expect(result).toEqual({
          entry: result.entry,
          status: 1,
          signal: null,
          stderr: `AutomateOS needs Node.js 24 or newer; this is Node.js ${olderNode?.version} (${olderNode?.path}).`,
        });
      }
    },
  );
});

/** A Node older than 24 on this machine (Debian's /usr/bin/node, say), to run the build with. */
function findOlderNode(): { path: string; version: string } | undefined {
  const candidates = new Set(['/usr/bin/node', '/usr/local/bin/node']);
  const which = spawnSync('which', ['-a', 'node'], { encoding: 'utf8' });
  for (const line of which.stdout?.split('\n') ?? []) if (line.trim()) candidates.add(line.trim());
  for (const candidate of candidates) {
    const version = spawnSync(candidate, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    if (version && Number(version.slice(1).split('.')[0]) < 24) return { path: candidate, version };
  }
  return undefined;
}
