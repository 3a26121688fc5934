/**
 * `ANY /hooks/:webhookId`: the door strangers knock on. Everything that is not an active workflow
 * accepting this method gets the same 404; bodies are bounded; nothing is stored unless the
 * execution and its job are both committed.
 */

import { and, eq } from 'drizzle-orm';
import express, { type Request, type Response, Router } from 'express';
import type { Db } from '../db/client';
import { type TriggerData, workflows } from '../db/schema';
import { createExecution, type ExecutionQueue } from '../services/executions';

// Never stored: credentials meant for us or for a proxy, not data for the workflow.
const DROPPED_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

const notFound = (res: Response) =>
  res.status(404).json({ error: { code: 'NOT_FOUND', message: 'No active workflow listens at this URL.' } });

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function parseBody(req: Request, raw: Buffer | undefined): unknown {
  if (!raw || raw.length === 0) return null;
  const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = raw.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new BodyError(400, 'The body is not valid JSON.');
    }
  }
  if (type === 'application/x-www-form-urlencoded') {
    const body: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(text)) {
      const existing = body[key];
      body[key] =
        existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
    }
    return body;
  }
  if (type === 'text/plain' || type === '') return text;
  throw new BodyError(415, `Unsupported content type "${type}". Send JSON, form-urlencoded or text.`);
}

function queryOf(req: Request): Record<string, unknown> {
  const query: Record<string, string | string[]> = {};
  const url = new URL(req.originalUrl, 'http://x');
  for (const [key, value] of url.searchParams) {
    const existing = query[key];
    query[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return query;
}

function headersOf(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED_HEADERS.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function webhookRouter(deps: { db: Db; queue: ExecutionQueue; maxBodyBytes: number }): Router {
  const router = Router();
  const readBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  router.all('/hooks/:webhookId', async (req, res) => {
    const webhookId = String(req.params.webhookId);
    let workflow: typeof workflows.$inferSelect | undefined;
    try {
      [workflow] = await deps.db
        .select()
        .from(workflows)
        .where(and(eq(workflows.webhookId, webhookId), eq(workflows.active, true)));
    } catch {
      return void unavailable(res);
    }
    const accepts = workflow?.definition.trigger.config.method;
    if (!workflow || (accepts !== 'ANY' && accepts !== req.method)) return void notFound(res);

    const raw = await new Promise<Buffer | undefined>((resolve, reject) =>
      readBody(req, res, (error?: unknown) =>
        error ? reject(error) : resolve(req.body as Buffer | undefined),
      ),
    ).catch((error: { status?: number; type?: string }) => {
      const status = error.status === 413 ? 413 : 400;
      res.status(status).json({
        error: {
          code: status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
          message:
            status === 413
              ? `The body is larger than ${deps.maxBodyBytes} bytes.`
              : 'The body could not be read.',
        },
      });
      return null;
    });
    if (raw === null) return;

    let body: unknown;
    try {
      body = parseBody(req, Buffer.isBuffer(raw) ? raw : undefined);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      return void res.status(error.status).json({
        error: {
          code: error.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST',
          message: error.message,
        },
      });
    }

    const trigger: TriggerData = {
      method: req.method,
      path: req.path,
      query: queryOf(req),
      headers: headersOf(req),
      body,
      receivedAt: new Date().toISOString(),
    };
    try {
      const { id } = await createExecution(deps.db, deps.queue, { workflow, mode: 'webhook', trigger });
      res.status(202).json({ executionId: id });
    } catch (error) {
      console.error('webhook: could not queue the execution', error);
      unavailable(res);
    }
  });
  return router;
}

function unavailable(res: Response) {
  res
    .status(503)
    .set('Retry-After', '5')
    .json({
      error: {
        code: 'UNAVAILABLE',
        message: 'AutomateOS cannot store this request right now. Retry shortly.',
      },
    });
}
