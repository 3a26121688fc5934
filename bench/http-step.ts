/**
 * `npm run bench:http`: the CPU one HTTP Request step costs the worker, per request.
 *
 * Runs the step (resolve + run, as the worker does) against the benchmark's target server in its own
 * process, N times one after the other and N times 8 at a time, and reads this process's CPU time
 * (user + system) around each run. The target counts the TCP connections it accepted during the run
 * (after a warm-up of 500 requests), which shows whether requests shared them. Prints a table; `--json` prints the numbers.
 */
import { exampleDefinition, httpConfigSchema } from '@automateos/shared';
import { createOutboundHttp } from '../server/src/net/http-client';
import { createAddressPolicy } from '../server/src/net/ssrf';
import { httpNode } from '../server/src/nodes/http';
import { startTarget, stopAllChildren } from './procs';

const args = process.argv.slice(2);
const count = Number(args.find((arg) => arg.startsWith('--requests='))?.split('=')[1] ?? 5_000);
const warmup = Math.min(500, count);

const target = await startTarget();
const base = `http://127.0.0.1:${target.port}`;
const stats = async () =>
  (await (await fetch(`${base}/__stats`)).json()) as { hits: number; connections: number };
const reset = () => fetch(`${base}/__reset`, { method: 'POST' });

const [notify] = exampleDefinition(`${base}/events`).steps;
if (notify?.type !== 'http') throw new Error('the example workflow starts with an HTTP step');
const config = httpConfigSchema.parse(notify.config);
const scope = { trigger: { body: { user: { id: 'u_1', plan: 'pro' }, amount: 42 } }, steps: {} };
const http = createOutboundHttp({ policy: createAddressPolicy('127.0.0.1/32') });
const ctx = {
  signal: new AbortController().signal,
  http,
  apis: { NOTION_API_URL: 'https://api.notion.com', SLACK_API_URL: 'https://slack.com/api/' },
  log: { info: () => {}, warn: () => {} },
  credential: undefined,
};

async function step() {
  const { input } = httpNode.resolve(config, scope);
  const outcome = await httpNode.run(input, ctx);
  if (outcome.kind !== 'continue') throw new Error('the HTTP step did not continue');
}

interface Result {
  concurrency: number;
  requests: number;
  cpuUsPerRequest: number;
  requestsPerSecond: number;
  connections: number;
}

async function measure(concurrency: number): Promise<Result> {
  for (let i = 0; i < warmup; i++) await step();
  await reset();
  const cpu = process.cpuUsage();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < count) await step();
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  const { hits, connections } = await stats();
  if (hits !== count) throw new Error(`the target saw ${hits} requests, expected ${count}`);
  return {
    concurrency,
    requests: count,
    cpuUsPerRequest: Math.round((used.user + used.system) / count),
    requestsPerSecond: Math.round(count / seconds),
    connections,
  };
}

try {
  const results = [await measure(1), await measure(8)];
  if (args.includes('--json')) console.log(JSON.stringify(results, null, 2));
  else {
    console.log('| concurrency | requests | CPU per request | requests/s | new TCP connections |');
    console.log('|---|---|---|---|---|');
    for (const r of results) {
      console.log(
        `| ${r.concurrency} | ${r.requests} | ${r.cpuUsPerRequest} µs | ${r.requestsPerSecond} | ${r.connections} |`,
      );
    }
  }
} finally {
  await http.close();
  await stopAllChildren();
}
