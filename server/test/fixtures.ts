/** Small builders for integration tests: users, workflows, a local target server, waiting. */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  exampleDefinition as designExample,
  type WorkflowDefinitionInput,
  workflowDefinitionSchema,
} from '@automateos/shared';
import { eq } from 'drizzle-orm';
import { hashPassword } from '../src/auth/passwords';
import type { Db } from '../src/db/client';
import { executions, users, workflows } from '../src/db/schema';

export async function insertUser(db: Db, email = `u-${randomBytes(4).toString('hex')}@example.com`) {
  const [user] = await db
    .insert(users)
    .values({ email, passwordHash: await hashPassword('password-123') })
    .returning();
  if (!user) throw new Error('no user');
  return user;
}

export async function insertWorkflow(
  db: Db,
  userId: string,
  definition: WorkflowDefinitionInput,
  options: { active?: boolean; name?: string } = {},
) {
  const webhookId = randomBytes(16).toString('base64url');
  const [workflow] = await db
    .insert(workflows)
    .values({
      userId,
      name: options.name ?? 'Test workflow',
      active: options.active ?? true,
      definition: workflowDefinitionSchema.parse(definition),
      webhookId,
    })
    .returning();
  if (!workflow) throw new Error('no workflow');
  // Every test workflow has a webhook trigger, so it has this webhook id.
  return { ...workflow, webhookId };
}

/** The DESIGN.md example workflow, its HTTP step pointed at `${target}/events`. */
export function exampleDefinition(target: string): WorkflowDefinitionInput {
  return designExample(`${target}/events`);
}

export interface TargetRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface Target {
  url: string;
  requests: TargetRequest[];
  /** Decide the answer per request; default 200 JSON echo. */
  respond: (req: TargetRequest) => {
    status?: number;
    headers?: Record<string, string>;
    body?: unknown;
    delayMs?: number;
    /** Answer only once this settles (a step held in flight for as long as the test needs). */
    hold?: Promise<unknown>;
  };
  close(): Promise<void>;
}

/** A local HTTP server that records every request it gets. */
export async function startTarget(host = '127.0.0.1'): Promise<Target> {
  const target: Target = {
    url: '',
    requests: [],
    respond: (req) => ({
      body: { ok: true, id: `evt_${target.requests.length}`, echo: req.body ? JSON.parse(req.body) : null },
    }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString();
    });
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      target.requests.push(request);
      let answer: ReturnType<Target['respond']>;
      try {
        answer = target.respond(request);
      } catch {
        answer = { body: { ok: true } };
      }
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status ?? 200, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body ?? {}));
      };
      if (answer.hold) answer.hold.finally(send);
      else if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  target.url = `http://${host}:${(server.address() as AddressInfo).port}`;
  return target;
}

/** Polls until the execution is terminal (or the timeout passes) and returns its row. */
export async function waitForExecution(db: Db, id: string, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await db.select().from(executions).where(eq(executions.id, id));
    if (row && row.status !== 'queued' && row.status !== 'running') return row;
    if (Date.now() > until) throw new Error(`execution ${id} still ${row?.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
