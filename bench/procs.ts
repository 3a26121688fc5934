/**
 * Child processes of the benchmark (web, workers, target) and what we read about them from /proc:
 * resident memory and CPU time. Every child is registered so Ctrl-C or a crash can stop it.
 */
import { type ChildProcess, fork, spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { NODE_FLAGS } from '../server/src/runtime';

export const repoRoot = path.resolve(import.meta.dirname, '..');
const children = new Set<ChildProcess>();

export interface AppProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Resolves when the process printed `readyLine`; never, without one (poll its health instead). */
  ready: Promise<void>;
  /** The last lines it printed, for error messages. */
  tail(): string;
}

export interface AppEnv {
  DATABASE_URL: string;
  JWT_SECRET: string;
  CREDENTIALS_KEYS: string;
  SSRF_ALLOWLIST: string;
  WORKER_CONCURRENCY: string;
  PORT?: string;
  [name: string]: string | undefined;
}

/**
 * Starts the web process or a worker: with `builtDir` the way `npm start` and a deployment do
 * (`node server/dist/….js`, the esbuild bundle), else from source (`node --import tsx server/src/….ts`,
 * as `npm run dev` does). Either way the pid we measure is the Node process itself.
 */
export function startApp(
  name: string,
  entry: 'main' | 'worker',
  env: AppEnv,
  options: {
    builtDir?: string | undefined;
    cpuProfileDir?: string | undefined;
    readyLine?: RegExp;
    verbose?: boolean;
  },
): AppProcess {
  const args: string[] = [];
  if (options.cpuProfileDir) args.push('--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`);
  if (options.builtDir) args.push(...NODE_FLAGS, path.join(options.builtDir, `${entry}.js`));
  else args.push('--import', 'tsx', `server/src/${entry}.ts`);
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    // Production mode and the default log level: what a deployment runs. Logs come to us through a pipe.
    env: { ...process.env, NODE_ENV: 'production', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let lines: string[] = [];
  let echoed = 0;
  let resolveReady: () => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + chunk.toString('utf8');
    const complete = text.split('\n');
    partial = complete.pop() ?? '';
    for (const line of complete) {
      if (!line.trim()) continue;
      lines.push(line);
      // Errors (pino levels 50/60) and anything that is not a JSON log line, e.g. a crash.
      const bad = /"level":(50|60)/.test(line) || !line.startsWith('{');
      if (options.verbose || (bad && echoed++ < 20))
        process.stderr.write(`  [${name}] ${line.slice(0, 2000)}\n`);
      if (options.readyLine?.test(line)) resolveReady();
    }
    if (lines.length > 200) lines = lines.slice(-100);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  ready.catch(() => {}); // a process without a ready line nobody awaits
  child.once('exit', (code, signal) =>
    rejectReady(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${lines.join('\n')}`)),
  );
  if (!child.pid) throw new Error(`could not start ${name}`);
  return { name, child, pid: child.pid, ready, tail: () => lines.slice(-20).join('\n') };
}

/** Sends SIGTERM and waits for the exit (SIGKILL after `ms`). */
export async function stopProcess(child: ChildProcess, ms = 30_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), ms).unref();
  });
}

/** Every child still running: SIGTERM, then SIGKILL after a few seconds. */
export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopProcess(child, 8_000)));
}

/** The target HTTP server in its own process; resolves with its port. */
/**
 * Builds the server bundle exactly as `npm start` does (`turbo run build`, here for the server package
 * only: turbo replays its cache when nothing changed) and returns the folder with main.js and worker.js.
 */
export function buildServer(): string {
  const result = spawnSync(
    path.join(repoRoot, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter=@automateos/server', '--output-logs=errors-only'],
    {
      cwd: repoRoot,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1', TURBO_NO_UPDATE_NOTIFIER: '1' },
    },
  );
  if (result.status !== 0) throw new Error('the server build failed; see the output above');
  return path.join(repoRoot, 'server', 'dist');
}

export async function startTarget(): Promise<{ port: number; child: ChildProcess }> {
  const child = fork(path.join(import.meta.dirname, 'target.ts'), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`the target server exited (${code})`)));
  });
  return { port, child };
}

/** VmRSS and VmHWM (peak) of a process, in MiB; undefined once it is gone. */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/**
 * User + system CPU seconds a process has used so far; with `withReaped`, also what its exited
 * children used (the postmaster collects the time of backends that disconnected).
 */
export function cpuSecondsOf(pid: number, withReaped = false): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = (fields[11] ?? 0) + (fields[12] ?? 0);
    const reaped = withReaped ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0;
    return (own + reaped) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** The postmaster and all its backends: the database's whole CPU use. */
export function postgresPids(postmasterPid: number): number[] {
  const pids = [postmasterPid];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmasterPid) pids.push(Number(entry));
    } catch {}
  }
  return pids;
}

export interface SamplerGroups {
  /** Processes whose resident memory we sample (web, worker…), by name. */
  memory: () => Record<string, number[]>;
  /** Processes whose CPU time we add up, by name; `reaped` pids also count their exited children. */
  cpu: () => Record<string, { pids: number[]; reaped?: number[] }>;
}

/**
 * Samples RSS of the given processes every `intervalMs` and keeps the maximum, and CPU seconds at
 * start and end, so a phase can say "the web process peaked at X MB and used Y % of a core".
 */
export class ProcessSampler {
  private timer: NodeJS.Timeout | undefined;
  private readonly peakRss = new Map<string, number>();
  private cpuStart = new Map<string, number>();
  private startedAt = 0;
  private selfCpuStart = process.cpuUsage();

  constructor(private readonly groups: SamplerGroups) {}

  /**
   * CPU seconds per group now. A group's use over a window is its total at the end minus its total
   * at the start: a process that exited in between has its whole lifetime in its parent's reaped
   * time (the postmaster's, for backends), so subtracting only the survivors' start values would
   * count what it used before the window again.
   */
  private cpuNow(): Map<string, number> {
    const now = new Map<string, number>();
    for (const [name, { pids, reaped = [] }] of Object.entries(this.groups.cpu())) {
      now.set(
        name,
        pids.reduce((sum, pid) => sum + cpuSecondsOf(pid, reaped.includes(pid)), 0),
      );
    }
    return now;
  }

  start(intervalMs = 100): void {
    this.startedAt = performance.now();
    this.selfCpuStart = process.cpuUsage();
    this.cpuStart = this.cpuNow();
    const sample = () => {
      for (const [name, pids] of Object.entries(this.groups.memory())) {
        const rss = pids.reduce((sum, pid) => sum + (memoryOf(pid)?.rssMb ?? 0), 0);
        this.peakRss.set(name, Math.max(this.peakRss.get(name) ?? 0, rss));
      }
    };
    sample();
    this.timer = setInterval(sample, intervalMs);
  }

  /** Peak RSS (MiB) and CPU use (1.0 = one whole core) per group over the window. */
  stop(): { seconds: number; peakRssMb: Record<string, number>; cpuCores: Record<string, number> } {
    clearInterval(this.timer);
    const seconds = (performance.now() - this.startedAt) / 1000;
    const cpuCores: Record<string, number> = {};
    for (const [name, total] of this.cpuNow()) {
      cpuCores[name] = round(Math.max(0, total - (this.cpuStart.get(name) ?? 0)) / seconds, 2);
    }
    const self = process.cpuUsage(this.selfCpuStart);
    cpuCores['bench (load generator)'] = round((self.user + self.system) / 1e6 / seconds, 2);
    const peakRssMb: Record<string, number> = {};
    for (const [name, mb] of this.peakRss) peakRssMb[name] = round(mb, 1);
    return { seconds: round(seconds, 2), peakRssMb, cpuCores };
  }
}

/**
 * CPU milliseconds per unit of work (a webhook, an execution), per process group, over a sampled
 * window: unlike rates, these hardly depend on what else the machine is doing, so they say where the
 * cores go.
 */
export function cpuMsPerUnit(
  processes: { seconds: number; cpuCores: Record<string, number> },
  units: number,
): Record<string, number> {
  return Object.fromEntries(
    Object.entries(processes.cpuCores).map(([name, cores]) => [
      name,
      units ? round((cores * processes.seconds * 1000) / units, 2) : 0,
    ]),
  );
}

export function round(value: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
