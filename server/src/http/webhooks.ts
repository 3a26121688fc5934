/**
 * `ANY /hooks/:webhookId`: the door strangers knock on. Everything that is not an active workflow
 * accepting this method gets the same 404; bodies are bounded; nothing is stored unless the
 * execution and its job are both committed.
 */

import { jsonValueProblem, MAX_JSON_DEPTH } from '@automateos/shared';
import express, { type Request, type Response, Router } from 'express';
import type { Db } from '../db/client';
import type { ExecutionQueue } from '../services/executions';
import { WebhookIngest } from '../services/ingest';
import { isWebhookIdShape } from '../services/workflows';

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
  if (type === 'application/x-www-form-urlencoded') return fieldsOf(new URLSearchParams(text));
  if (type === 'text/plain' || type === '') return text;
  throw new BodyError(415, `Unsupported content type "${type}". Send JSON, form-urlencoded or text.`);
}

/**
 * Query or form fields; a repeated name becomes a list. The object has no prototype, so names such
 * as `__proto__`, `constructor` or `toString` are kept as data like any other.
 */
function fieldsOf(params: URLSearchParams): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of params) {
    const existing = Object.hasOwn(fields, key) ? fields[key] : undefined;
    fields[key] =
      existing === undefined ? value : Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  return fields;
}

const queryOf = (req: Request) => fieldsOf(new URL(req.originalUrl, 'http://x').searchParams);

function headersOf(req: Request): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED_HEADERS.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export function webhookRouter(deps: { db: Db; queue: ExecutionQueue; maxBodyBytes: number }): Router {
  const router = Router();
  const ingest = new WebhookIngest(deps.db, deps.queue);
  const readBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  router.all('/hooks/:webhookId', async (req, res) => {
    const webhookId = String(req.params.webhookId);
    // No workflow can have an id of another shape: answer before reading a byte of the body.
    if (!isWebhookIdShape(webhookId)) return void notFound(res);
    // The body is read (bounded) before the workflow is looked up: the lookup happens in the same
    // statement that stores the execution, batched with other webhooks.
    const raw = await new Promise<Buffer | undefined>((resolve, reject) =>
      readBody(req, res, (error?: unknown) =>
        error ? reject(error) : resolve(req.body as Buffer | undefined),
      ),
    ).catch((error: { status?: number }) => {
      const tooLarge = error.status === 413;
      res.status(tooLarge ? 413 : 400).json({
        error: {
          code: tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
          message: tooLarge
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

    // Nesting is bounded before anything walks the body (the database's JSON parser is recursive),
    // and text PostgreSQL cannot work with (a NUL character) is refused here, as jsonb once did.
    const query = queryOf(req);
    const bodyProblem = jsonValueProblem(body, { maxDepth: MAX_JSON_DEPTH });
    const queryProblem = jsonValueProblem(query);
    if (bodyProblem || queryProblem) {
      const message = bodyProblem
        ? `The body cannot be accepted: ${lowerFirst(bodyProblem)}.`
        : `The query string cannot be accepted: ${lowerFirst(queryProblem ?? '')}.`;
      return void res.status(400).json({ error: { code: 'BAD_REQUEST', message } });
    }

    const result = await ingest.submit({
      webhookId,
      method: req.method,
      trigger: {
        method: req.method,
        path: req.path,
        query,
        headers: headersOf(req),
        body,
        receivedAt: new Date().toISOString(),
      },
      receivedBody: Buffer.isBuffer(raw) && raw.length > 0 ? raw : null,
    });
    switch (result.status) {
      case 'accepted':
        res.locals.executionId = result.executionId;
        return void res.status(202).json({ executionId: result.executionId });
      case 'not-found':
        return void notFound(res);
      case 'rejected':
        return void res.status(400).json({ error: { code: 'BAD_REQUEST', message: result.message } });
      case 'unavailable':
        return void unavailable(res, 'AutomateOS cannot store this request right now. Retry shortly.', 5);
      case 'busy':
        return void unavailable(res, 'Too many webhooks are waiting to be stored. Retry shortly.', 1);
    }
  });
  return router;
}

function unavailable(res: Response, message: string, retryAfterSeconds: number) {
  res
    .status(503)
    .set('Retry-After', String(retryAfterSeconds))
    .json({ error: { code: 'UNAVAILABLE', message } });
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);
