/**
 * `npm test`: the whole suite — lint, type-check, unit and integration tests of every package
 * (real PostgreSQL), then the Playwright end-to-end tests in Chromium — and one closing line
 * `N passed, N failed` summing every suite.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const reports = path.join(root, '.reports');
rmSync(reports, { recursive: true, force: true });
mkdirSync(reports, { recursive: true });

const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', FORCE_COLOR: process.env.CI ? '0' : '1' };
const run = (command: string, args: string[]) =>
  spawnSync(command, args, { cwd: root, stdio: 'inherit', env }).status === 0;

interface Suite {
  name: string;
  passed: number;
  failed: number;
  skipped: number;
}
const suites: Suite[] = [];
const check = (name: string, ok: boolean) =>
  suites.push({ name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0 });

check('lint (biome)', run('npx', ['biome', 'ci', ...(process.env.CI ? ['--colors=off'] : []), '.']));
// The packages, then the benchmark and these scripts, which belong to no package.
check(
  'typecheck',
  [
    run('npx', ['turbo', 'run', 'typecheck', '--continue', '--output-logs=errors-only']),
    run('npx', ['tsc', '-p', 'bench']),
    run('npx', ['tsc', '-p', 'scripts']),
  ].every(Boolean),
);
const only = process.argv.slice(2);
const wanted = (name: string) => only.length === 0 || only.includes(name);

for (const pkg of ['shared', 'server', 'client']) {
  if (!wanted(pkg)) continue;
  const report = path.join(reports, `${pkg}.json`);
  const ok = run('npm', [
    'run',
    'test',
    '-w',
    `@automateos/${pkg}`,
    '--',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
  if (!existsSync(report)) {
    suites.push({ name: `${pkg} (vitest)`, passed: 0, failed: 1, skipped: 0 });
    continue;
  }
  const r = JSON.parse(readFileSync(report, 'utf8')) as {
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
    numFailedTestSuites: number;
  };
  // A file that fails to load has no failed tests but a failed suite: count it.
  const failed = r.numFailedTests + (ok || r.numFailedTests > 0 ? 0 : Math.max(1, r.numFailedTestSuites));
  suites.push({
    name: `${pkg} (vitest)`,
    passed: r.numPassedTests,
    failed,
    skipped: r.numPendingTests + r.numTodoTests,
  });
}

if (wanted('e2e')) {
  const report = path.join(reports, 'e2e.json');
  const ok = run('npm', ['run', 'e2e', '-w', '@automateos/client']);
  if (existsSync(report)) {
    const r = JSON.parse(readFileSync(report, 'utf8')) as {
      stats: { expected: number; unexpected: number; flaky: number; skipped: number };
      errors?: unknown[];
    };
    const crashed = !ok && r.stats.unexpected === 0 ? 1 : 0;
    suites.push({
      name: 'e2e (playwright)',
      passed: r.stats.expected + r.stats.flaky,
      failed: r.stats.unexpected + crashed,
      skipped: r.stats.skipped,
    });
  } else suites.push({ name: 'e2e (playwright)', passed: 0, failed: 1, skipped: 0 });
}

console.log('\nSuites:');
for (const s of suites)
  console.log(
    `  ${s.name}: ${s.passed} passed, ${s.failed} failed${s.skipped ? `, ${s.skipped} skipped` : ''}`,
  );
const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
const skipped = suites.reduce((n, s) => n + s.skipped, 0);
const summary = `${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`;
writeFileSync(path.join(reports, 'summary.txt'), `${summary}\n`);
console.log(`\n${summary}`);
process.exit(failed > 0 ? 1 : 0);
