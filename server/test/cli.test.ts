/**
 * The `automateos` CLI as a user runs it: the built bundle (cli/dist) spawned against a real web
 * process and worker, signed in with a real token.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import { type AppProcess, startWeb, startWorker, type WebProcess, waitUntil } from './faults/harness';

const cliDir = path.resolve(import.meta.dirname, '../../cli');
const bundle = path.join(cliDir, 'dist', 'automateos.js');
const home = mkdtempSync(path.join(os.tmpdir(), 'automateos-cli-'));
const files = mkdtempSync(path.join(os.tmpdir(), 'automateos-cli-files-'));

let tdb: TestDatabase;
let web: WebProcess;
let worker: AppProcess;
let token = '';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end, with `input` on stdin (stdin is never a terminal here). */
function cli(args: string[], input = '', env: Record<string, string> = {}): Promise<Result> {
  const child = spawn(process.execPath, [bundle, ...args], {
    env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: home, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

const file = (name: string, content: unknown) => {
  const target = path.join(files, name);
  writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return target;
};

const workflowFile = (url: string) => ({
  automateos: 1,
  name: 'CLI orders',
  definition: {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'POST' } },
    steps: [
      {
        id: 'only-pro',
        name: 'Only pro',
        type: 'filter',
        config: { conditions: [{ left: '{{ trigger.body.plan }}', op: 'equals', right: 'pro' }] },
      },
      { id: 'notify', name: 'Notify', type: 'http', config: { method: 'GET', url } },
    ],
  },
});

beforeAll(async () => {
  const built = spawnSync(process.execPath, ['--import', 'tsx', 'build.ts'], {
    cwd: cliDir,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building the CLI failed: ${built.stderr}`);
  tdb = await createTestDatabase();
  [web, worker] = await Promise.all([startWeb(tdb.url), startWorker(tdb.url)]);
  const session = new TestSession();
  const deps = testDeps(tdb.db);
  await session.caller(deps).auth.register({ email: 'cli@example.com', password: 'password-123' });
  token = (await session.caller(deps).tokens.create({ name: 'CLI', scope: 'read-write' })).token;
}, 120_000);

afterAll(async () => {
  web?.child.kill('SIGTERM');
  worker?.child.kill('SIGTERM');
  await Promise.all([web?.exited, worker?.exited]);
  await tdb?.close();
  rmSync(home, { recursive: true, force: true });
  rmSync(files, { recursive: true, force: true });
});

describe('the automateos CLI', () => {
  it('logs in with a real token, stores it 0600, and refuses a bad one', async () => {
    const bad = await cli(['login', '--url', web.url, '--token-stdin'], `aos_${'x'.repeat(43)}\n`);
    expect(bad.code).toBe(3);
    expect(bad.stderr).toMatch(/unknown, revoked or expired/);
    const notAToken = await cli(['login', '--url', web.url], 'hunter2\n');
    expect(notAToken.code).toBe(2);

    const ok = await cli(['login', '--url', web.url, '--token-stdin'], `${token}\n`);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/Logged in to .* as cli@example.com/);
    const config = path.join(home, 'automateos', 'config.json');
    expect(statSync(config).mode & 0o777).toBe(0o600);
    const me = await cli(['whoami', '--json']);
    expect(JSON.parse(me.stdout).user.email).toBe('cli@example.com');
    // The environment wins over the stored login.
    const overridden = await cli(['whoami'], '', { AUTOMATEOS_TOKEN: 'aos_nope' });
    expect(overridden.code).toBe(3);
  });

  it('pushes a workflow file (field errors as the editor shows them), activates it, runs it and streams the steps', async () => {
    const target = `${web.url}/healthz`;
    const broken = workflowFile('ftp://example.com');
    const refused = await cli(['workflows', 'push', file('broken.json', broken)]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/definition\.steps\[1\]\.config\.url: URL must start with http/);

    const pushed = await cli(['workflows', 'push', file('orders.json', workflowFile(target)), '--json']);
    expect(pushed.stderr).toBe('');
    const workflow = JSON.parse(pushed.stdout);
    expect(workflow).toMatchObject({ name: 'CLI orders', active: false, version: 1 });
    // Pushing again updates the workflow of that name.
    const again = await cli(['workflows', 'push', file('orders.json', workflowFile(target))]);
    expect(again.stdout).toMatch(/Updated CLI orders .* to version 2/);

    const activated = await cli(['workflows', 'activate', 'CLI orders']);
    expect(activated.stdout).toMatch(/CLI orders is active\. Webhook: http/);
    const listed = await cli(['workflows', 'list']);
    expect(listed.stdout).toMatch(/CLI orders\s+on\s+webhook\s+2/);

    const run = await cli(['run', 'CLI orders', '--data', `@${file('data.json', { plan: 'pro' })}`]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/✓ only-pro\s+succeeded/);
    expect(run.stdout).toMatch(/✓ notify\s+succeeded/);
    expect(run.stdout).toMatch(/^succeeded in/m);

    const filtered = await cli(['run', workflow.id, '--data', '-'], '{"plan":"free"}');
    expect(filtered.code).toBe(0);
    expect(filtered.stdout).toMatch(/⊘ only-pro\s+filtered/);

    const pulled = await cli(['workflows', 'pull', 'CLI orders']);
    expect(JSON.parse(pulled.stdout)).toMatchObject({ automateos: 1, name: 'CLI orders' });

    // An unreachable target: the execution fails, and so does the command.
    await cli([
      'workflows',
      'push',
      file('failing.json', { ...workflowFile('http://127.0.0.1:1/'), name: 'CLI fails' }),
    ]);
    const failed = await cli(['run', 'CLI fails', '--data', '{"plan":"pro"}']);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/✗ notify\s+failed/);
    expect(failed.stderr).toMatch(/Execution .* failed\./);

    const executions = await cli(['executions', 'list', '--workflow', 'CLI orders', '--json']);
    const items = JSON.parse(executions.stdout);
    expect(items.map((e: { status: string }) => e.status)).toEqual(['filtered', 'succeeded']);
    const shown = await cli(['executions', 'show', items[1].id]);
    expect(shown.stdout).toMatch(/notify\s+http\s+succeeded/);
    expect((await cli(['executions', 'show', '0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b'])).code).toBe(4);
  });

  it('tails executions live while a webhook arrives', async () => {
    const workflow = JSON.parse((await cli(['workflows', 'get', 'CLI orders', '--json'])).stdout);
    const child = spawn(process.execPath, [bundle, 'executions', 'tail', '--workflow', 'CLI orders'], {
      env: { PATH: process.env.PATH ?? '', XDG_CONFIG_HOME: home },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    try {
      await waitUntil('the tail to start', () => stderr.includes('Following executions'), 15_000);
      const hook = await fetch(workflow.webhookUrl.replace(/^https?:\/\/[^/]+/, web.url), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ plan: 'pro' }),
      });
      expect(hook.status).toBe(202);
      const { executionId } = (await hook.json()) as { executionId: string };
      await waitUntil(
        `${executionId} in the tail`,
        () => new RegExp(`${executionId}\\s+CLI orders\\s+succeeded`).test(stdout),
        20_000,
      );
    } finally {
      child.kill('SIGINT');
    }
  });

  it('creates a credential with the secret from stdin, never in its output', async () => {
    const secret = 'xoxb-cli-canary-0123456789';
    const created = await cli(['credentials', 'create', 'slack', 'Team Slack'], `${secret}\n`);
    expect(created.code).toBe(0);
    expect(created.stdout + created.stderr).not.toContain(secret);
    const listed = await cli(['credentials', 'list']);
    expect(listed.stdout).toMatch(/Team Slack\s+slack/);
    expect(listed.stdout).not.toContain(secret);
    const onArgv = await cli(['credentials', 'create', 'slack', 'Leaky', '--set', `token=${secret}`]);
    expect(onArgv.code).toBe(2);
    expect(onArgv.stderr).toMatch(/token is a secret/);
    const malformed = await cli(['credentials', 'create', 'slack', 'Broken'], '{"token": ');
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toMatch(/The JSON on stdin is not valid JSON/);
    expect(malformed.stderr).not.toMatch(/at JSON\.parse|SyntaxError: /);
    expect((await cli(['credentials', 'delete', 'Team Slack'])).stdout).toMatch(/Deleted Team Slack/);
  });

  it('lists every workflow past the first page, and finds a name shared across pages ambiguous', async () => {
    // 'Twin' twice, with 210 other names containing it changed between them: more than one page
    // (200) of the search, the newest 'Twin' on the first, the oldest on the second.
    await tdb.sql`
      insert into workflows (user_id, name, definition, webhook_id, updated_at)
      select u.id, case when i in (0, 211) then 'Twin' else 'Twin ' || i end,
             ${JSON.stringify(workflowFile('https://example.com').definition)}::json,
             'cli-twin-' || i, now() - make_interval(secs => i)
      from users u, generate_series(0, 211) as i
      where u.email = 'cli@example.com'`;
    const all = JSON.parse((await cli(['workflows', 'list', '--json'])).stdout) as { name: string }[];
    const twins = all.filter((w) => w.name.startsWith('Twin'));
    expect(twins).toHaveLength(212);
    expect(new Set(all.map((w) => JSON.stringify(w))).size).toBe(all.length);
    const firstThree = await cli(['workflows', 'list', '--limit', '3', '--search', 'twin']);
    expect(
      firstThree.stdout
        .trim()
        .split('\n')
        .slice(1)
        .map((line) => line.split(/\s{2,}/)[1]),
    ).toEqual(['Twin', 'Twin 1', 'Twin 2']);
    expect((await cli(['workflows', 'list', '--limit', '0'])).code).toBe(2);

    const ambiguous = await cli(['workflows', 'get', 'twin']);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/2 workflows are named "twin": use the id/);
    // With the newest gone, the one left is found on the second page of the search.
    await tdb.sql`delete from workflows where webhook_id = 'cli-twin-0'`;
    expect((await cli(['workflows', 'get', 'twin'])).stdout).toMatch(/^Twin {2}\(inactive/);
    await tdb.sql`delete from workflows where name like 'Twin%'`;
  });

  it('prints usage errors and logs out', async () => {
    const unknown = await cli(['workflows', 'frobnicate']);
    expect(unknown.code).toBe(2);
    expect((await cli(['logout'])).stdout).toMatch(/Removed/);
    expect((await cli(['whoami'])).code).toBe(3);
  });
});
