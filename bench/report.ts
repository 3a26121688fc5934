/** The Markdown form of a benchmark run: the headline table, then the details behind each figure. */

export interface Row {
  figure: string;
  measured: string;
  target: string;
  /** undefined: the figure has no pass/fail target ("shown"). */
  met: boolean | undefined;
  /** 1-minute load average when the figure was measured (the machine is shared). */
  loadavg1: number;
}

interface Report {
  startedAt: string;
  mode: string;
  commit: string;
  uncommitted: string[];
  machine: {
    cpu: string;
    cores: number;
    memoryGiB: number;
    kernel: string;
    node: string;
    postgres: string;
    postgresSettings: Record<string, string>;
    loadavgAtStart: number[];
    loadavgAtEnd: number[];
  };
  config: {
    workerConcurrency: number;
    webPoolMax: number;
    workflowCreatedVia: string;
    processes: string;
    extraEnv: Record<string, string>;
  };
  ingest?: unknown;
  scaleout?: unknown;
  dbLimit?: unknown;
  dataAtScale?: unknown;
  tableActivity?: unknown;
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');
const verdict = (met: boolean | undefined) => (met === undefined ? '—' : met ? 'yes' : '**no**');

export function renderMarkdown(report: Report, rows: Row[]): string {
  const m = report.machine;
  const lines: string[] = [];
  lines.push(`# AutomateOS benchmark — ${report.startedAt} (${report.mode})`);
  lines.push('');
  lines.push(
    `Code: commit ${report.commit}${report.uncommitted.length ? ` plus uncommitted changes to ${report.uncommitted.join(', ')}` : ''}. ` +
      `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.kernel}, Node ${m.node}, ` +
      `${m.postgres.split(' on ')[0]} (embedded; ${Object.entries(m.postgresSettings)
        .map(([k, v]) => `${k}=${v}`)
        .join(', ')}). ` +
      `Everything — PostgreSQL, the web process, the workers, the target server and the load generator — ` +
      `shares these cores, and other jobs ran on the machine too: load average ${m.loadavgAtStart.join(' / ')} at the start, ` +
      `${m.loadavgAtEnd.join(' / ')} at the end.`,
  );
  lines.push('');
  lines.push(
    `Worker concurrency ${report.config.workerConcurrency} (WORKER_CONCURRENCY), web pool ${report.config.webPoolMax} connections; ` +
      `workflow created via ${report.config.workflowCreatedVia}; processes run as ${report.config.processes}` +
      (Object.keys(report.config.extraEnv).length
        ? `; extra settings ${Object.entries(report.config.extraEnv)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ')}`
        : '') +
      '.',
  );
  lines.push('');
  lines.push('| figure | measured | target | met? | load avg (1 min) |');
  lines.push('|---|---|---|---|---|');
  for (const row of rows) {
    lines.push(
      `| ${cell(row.figure)} | ${cell(row.measured)} | ${cell(row.target)} | ${verdict(row.met)} | ${row.loadavg1} |`,
    );
  }
  lines.push('');

  const ingest = report.ingest as
    | {
        concurrency: number;
        acceptedPerSec: number;
        latencyMs: { p50: number; p90: number; p99: number; max: number };
        non2xx: number;
        errors: number;
        e2e: { finishedDuringLoadPerSec: number; drainSeconds: number };
        check: { lost: number; duplicated: number; unacknowledged: number; emptyBody: number };
        processes: { peakRssMb: Record<string, number>; cpuCores: Record<string, number> };
        cpuMsPerUnit?: Record<string, number>;
        loadavg1: number;
      }[]
    | undefined;
  if (ingest?.length) {
    lines.push('## Ingest runs (1 worker running)');
    lines.push('');
    lines.push(
      '| c | accepted/s | 202 p50 / p90 / p99 / max ms | non-2xx | errors | finished/s during load | drain s | lost / dup / unacknowledged / empty-body | peak RSS MB | CPU (cores) | CPU ms per unit | load |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of ingest) {
      lines.push(
        `| ${r.concurrency} | ${r.acceptedPerSec} | ${r.latencyMs.p50} / ${r.latencyMs.p90} / ${r.latencyMs.p99} / ${r.latencyMs.max} | ${r.non2xx} | ${r.errors} | ` +
          `${r.e2e.finishedDuringLoadPerSec} | ${r.e2e.drainSeconds} | ${r.check.lost} / ${r.check.duplicated} / ${r.check.unacknowledged} / ${r.check.emptyBody} | ${kv(r.processes.peakRssMb)} | ${kv(r.processes.cpuCores)} | ${kv(r.cpuMsPerUnit ?? {})} | ${r.loadavg1} |`,
      );
    }
    lines.push('');
  }

  const scaleout = report.scaleout as
    | {
        workers: number;
        acceptedPerSec: number;
        check: {
          lost: number;
          duplicated: number;
          emptyBody: number;
          accepted: number;
          terminal: number;
          targetUnique: number;
          e2e: { finishedDuringLoadPerSec: number; drainSeconds: number; overallPerSec: number };
        };
        processes: { cpuCores: Record<string, number> };
        backlog: {
          cpuMsPerWebhook: Record<string, number>;
          drainStatements?: {
            query: string;
            calls: number;
            meanMs: number;
            perUnit: number;
            msPerUnit: number;
          }[];
          ingestStatements?: {
            query: string;
            calls: number;
            meanMs: number;
            perUnit?: number;
            msPerUnit?: number;
          }[];
          cpuMsPerExecution: Record<string, number>;
          executions: number;
          drainPerSec: number;
          ingest: { acceptedPerSec: number };
          processes: { cpuCores: Record<string, number> };
        };
        loadavg1: number;
      }[]
    | undefined;
  if (scaleout?.length) {
    lines.push('## Scale-out');
    lines.push('');
    lines.push(
      'Under load: exactly N webhooks at c=50 with the workers running. Backlog: the same load with no worker running, then the workers drain it alone.',
    );
    lines.push('');
    lines.push(
      '| workers | accepted/s | finished/s during load | drain s | accepted / terminal / target hits | lost | dup | empty-body | CPU under load | backlog | backlog drained/s | CPU while draining | load |',
    );
    lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
    for (const r of scaleout) {
      lines.push(
        `| ${r.workers} | ${r.acceptedPerSec} | ${r.check.e2e.finishedDuringLoadPerSec} | ${r.check.e2e.drainSeconds} | ` +
          `${r.check.accepted} / ${r.check.terminal} / ${r.check.targetUnique} | ${r.check.lost} | ${r.check.duplicated} | ${r.check.emptyBody} | ${kv(r.processes.cpuCores)} | ` +
          `${r.backlog.executions} | ${r.backlog.drainPerSec} | ${kv(r.backlog.processes.cpuCores)} | ${r.loadavg1} |`,
      );
    }
    lines.push('');
    lines.push(
      'CPU milliseconds per unit of work (from /proc, during the backlog ingest with no worker, and during the drain with no ingest). ' +
        'Unlike rates, these hardly depend on what else runs on the machine: 2 cores = 2,000 CPU ms per second to share.',
    );
    lines.push('');
    lines.push('| workers | per accepted webhook (ingest alone) | per execution run (drain alone) |');
    lines.push('|---|---|---|');
    for (const r of scaleout) {
      lines.push(`| ${r.workers} | ${kv(r.backlog.cpuMsPerWebhook)} | ${kv(r.backlog.cpuMsPerExecution)} |`);
    }
    lines.push('');
    const first = scaleout[0];
    for (const [title, statements] of [
      ['ingest alone, per accepted webhook', first?.backlog.ingestStatements],
      ['drain alone, per execution', first?.backlog.drainStatements],
    ] as const) {
      if (!statements?.length) continue;
      lines.push(`pg_stat_statements, ${first?.workers} worker(s), ${title} (top by total time):`);
      lines.push('');
      lines.push('| calls per unit | ms per unit | mean ms | statement |');
      lines.push('|---|---|---|---|');
      for (const st of statements) {
        lines.push(
          `| ${st.perUnit ?? ''} | ${st.msPerUnit ?? ''} | ${st.meanMs} | \`${cell(st.query.slice(0, 160))}\` |`,
        );
      }
      lines.push('');
    }
  }

  const activity = report.tableActivity as
    | {
        tables: {
          table: string;
          inserts: number;
          updates: number;
          hot_updates: number;
          deletes: number;
          dead: number;
          autovacuums: number;
        }[];
        wal?: { wal_bytes: number; wal_records: number };
      }
    | undefined;
  if (activity?.tables.length) {
    lines.push('## Table activity over the load phases');
    lines.push('');
    lines.push(
      'From `pg_stat_user_tables` (cumulative, before any bulk insert): a HOT update writes no index entries; dead tuples are what autovacuum must clean.',
    );
    lines.push('');
    lines.push('| table | inserts | updates | of which HOT | deletes | dead now | autovacuums |');
    lines.push('|---|---|---|---|---|---|---|');
    for (const t of activity.tables) {
      lines.push(
        `| ${t.table} | ${t.inserts} | ${t.updates} | ${t.hot_updates} (${t.updates ? Math.round((t.hot_updates / t.updates) * 100) : 0} %) | ${t.deletes} | ${t.dead} | ${t.autovacuums} |`,
      );
    }
    if (activity.wal) {
      lines.push('');
      lines.push(
        `WAL written: ${Math.round(activity.wal.wal_bytes / 2 ** 20)} MiB in ${activity.wal.wal_records} records.`,
      );
    }
    lines.push('');
  }

  const dbLimit = report.dbLimit as
    | {
        runs: {
          label: string;
          txPerSec: number;
          p50Ms: number;
          p99Ms: number;
          cpuCores: Record<string, number>;
        }[];
      }
    | undefined;
  if (dbLimit?.runs.length) {
    lines.push('## The database’s own limit');
    lines.push('');
    lines.push(
      'The web process’s write (insert execution + pg-boss job + commit) driven from the benchmark process with the product’s own code (`createExecution`, and `WebhookIngest` where the build has it), no HTTP. p50/p99: one call, including waiting for a connection.',
    );
    lines.push('');
    lines.push('| variant | executions/s | p50 ms | p99 ms | CPU (cores) |');
    lines.push('|---|---|---|---|---|');
    for (const r of dbLimit.runs) {
      lines.push(`| ${r.label} | ${r.txPerSec} | ${r.p50Ms} | ${r.p99Ms} | ${kv(r.cpuCores)} |`);
    }
    lines.push('');
  }

  const data = report.dataAtScale as
    | {
        rows?: { executions: number; workflows: number; size: string };
        queries: {
          label: string;
          p50: number;
          p99: number;
          mean: number;
          items: number;
          bytes: number;
          webCpuMs?: number;
          postgresCpuMs?: number;
        }[];
        plans: Record<string, { plan: string[] }>;
      }
    | undefined;
  if (data) {
    lines.push('## Data at scale');
    lines.push('');
    if (data.rows) {
      lines.push(
        `${data.rows.executions} executions (${data.rows.size} with indexes), ${data.rows.workflows} workflows for one user; timed through the tRPC HTTP endpoint, one request at a time.`,
      );
      lines.push('');
    }
    lines.push(
      '| query | p50 ms | p99 ms | mean ms | items | bytes | web CPU ms / request | PostgreSQL CPU ms / request |',
    );
    lines.push('|---|---|---|---|---|---|---|---|');
    for (const q of data.queries) {
      lines.push(
        `| ${q.label} | ${q.p50} | ${q.p99} | ${q.mean} | ${q.items} | ${q.bytes} | ${q.webCpuMs ?? '–'} | ${q.postgresCpuMs ?? '–'} |`,
      );
    }
    lines.push('');
    for (const [label, { plan }] of Object.entries(data.plans)) {
      lines.push(`<details><summary>EXPLAIN ANALYZE: ${label}</summary>`);
      lines.push('');
      lines.push('```');
      lines.push(...plan);
      lines.push('```');
      lines.push('');
      lines.push('</details>');
      lines.push('');
    }
  }
  return `${lines.join('\n')}\n`;
}

function kv(record: Record<string, number>): string {
  return Object.entries(record)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
