/**
 * `ANY /hooks/:webhookId`: the door strangers knock on. Everything that is not an active workflow
 * accepting this method gets the same 404; bodies are bounded; nothing is stored unless the
 * execution and its job are both committed.
 */

import { createHash } from 'node:crypto';
import { jsonValueProblem, MAX_JSON_DEPTH } from '@automateos/shared';
import express, { type Request, type Response, Router } from 'express';
import { clientKey } from '../auth/throttle';
import type { Keyring } from '../credentials/keys';
import type { Db } from '../db/client';
import type { LiveHub } from '../live/hub';
import { newDeliveryRecord } from '../services/deliveries';
import type { ExecutionQueue } from '../services/executions';
import { IDEMPOTENCY_CONFLICT, type WebhookDelivery, WebhookIngest } from '../services/ingest';
import { type KnownWebhook, WebhookLookup } from '../services/webhook-lookup';
import { isWebhookIdShape } from '../services/workflows';
import { BodyError, fieldsOf, parseBody } from '../triggers/webhook-body';
import { verifySignature } from '../triggers/webhook-signatures';
import { answerWhenFinished } from './webhook-response';

// Never stored: credentials meant for us or for a proxy, not data for the workflow.
const DROPPED_HEADERS = new Set(['cookie', 'authorization', 'proxy-authorization']);

const NOT_FOUND_BODY = { error: { code: 'NOT_FOUND', message: 'No active workflow listens at this URL.' } };
const notFound = (res: Response) => res.status(404).json(NOT_FOUND_BODY);

const EMPTY = Buffer.alloc(0);
const MAX_IDEMPOTENCY_KEY = 255;
const UNKNOWN_IDS_PER_MINUTE = 60;

/** Requests per minute per client, in this process: a fixed window, reset every minute. */
class ClientLimiter {
  private readonly counts = new Map<string, number>();
  private windowStart = Date.now();

  constructor(private readonly perMinute: number) {}

  allow(client: string): boolean {
    const now = Date.now();
    if (now - this.windowStart >= 60_000) {
      this.counts.clear();
      this.windowStart = now;
    }
    const count = (this.counts.get(client) ?? 0) + 1;
    // Bounded memory whatever the number of clients: a flood of new ones is refused as one.
    if (count === 1 && this.counts.size >= 100_000) return false;
    this.counts.set(client, count);
    return count <= this.perMinute;
  }
}

const headerValue = (req: Request, name: string): string | undefined => {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
};

function deliveryRecord(
  webhook: KnownWebhook,
  req: Request,
  receivedAt: Date,
  raw: Buffer | undefined,
  size?: number,
) {
  return newDeliveryRecord({
    receivedAt,
    workflowId: webhook.workflowId,
    userId: webhook.userId,
    method: req.method,
    url: req.originalUrl,
    headers: req.headers,
    raw,
    size: size ?? raw?.length ?? 0,
    signatureHeader:
      webhook.config.signature?.preset === 'hmac' ? webhook.config.signature.header : undefined,
  });
}

/** Whether a request checked against `before` is checked the same way against `after`. */
const sameFrontDoor = (after: KnownWebhook, before: KnownWebhook) =>
  JSON.stringify(after.config) === JSON.stringify(before.config) && secretText(after) === secretText(before);
const secretText = (webhook: KnownWebhook) =>
  webhook.secret?.ok ? webhook.secret.value : (webhook.secret?.message ?? null);

const queryOf = (req: Request) => fieldsOf(new URL(req.originalUrl, 'http://x').searchParams);

function headersOf(req: Request): Record<string, string> {
  const headers: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED_HEADERS.has(key)) continue;
    headers[key] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

export interface WebhookRouterDeps {
  db: Db;
  queue: ExecutionQueue;
  keyring: Keyring;
  live: Pick<LiveHub, 'waitForFinish'>;
  maxBodyBytes: number;
}

export function webhookRouter(deps: WebhookRouterDeps): Router {
  const router = Router();
  const ingest = new WebhookIngest(deps.db, deps.queue);
  const lookup = new WebhookLookup(deps);
  const unknownIds = new ClientLimiter(UNKNOWN_IDS_PER_MINUTE);
  const readBody = express.raw({ type: () => true, limit: deps.maxBodyBytes });

  router.all('/hooks/:webhookId', async (req, res) => {
    const receivedAt = new Date();
    const webhookId = String(req.params.webhookId);
    // Guessing ids is the only thing unknown ids are good for: each client gets a few a minute.
    const unknown = () =>
      unknownIds.allow(clientKey(req.ip ?? ''))
        ? notFound(res)
        : void res
            .status(429)
            .set('Retry-After', '60')
            .json({
              error: { code: 'TOO_MANY_REQUESTS', message: 'Too many requests to unknown webhook URLs.' },
            });
    // No workflow can have an id of another shape: answer before reading a byte of the body.
    if (!isWebhookIdShape(webhookId)) return void unknown();
    let webhook: KnownWebhook | null;
    try {
      webhook = await lookup.find(webhookId);
    } catch {
      return void unavailable(res, 'AutomateOS cannot look this webhook up right now. Retry shortly.', 5);
    }
    if (!webhook) return void unknown();
    const known = webhook;

    /** Answers `status` with an error and records the delivery as refused, with `reason` for the user. */
    const refuse = (
      status: number,
      code: string,
      message: string,
      options: {
        reason?: string;
        raw?: Buffer | undefined;
        size?: number;
        extra?: Record<string, unknown>;
      } = {},
    ) => {
      const body = status === 404 ? NOT_FOUND_BODY : { error: { code, message, ...(options.extra ?? {}) } };
      res.status(status).json(body);
      ingest.record({
        ...deliveryRecord(known, req, receivedAt, options.raw, options.size),
        outcome: 'rejected',
        statusCode: status,
        reason: options.reason ?? message,
        response: body,
        executionId: null,
      });
    };

    if (!known.active) return void refuse(404, 'NOT_FOUND', '', { reason: 'The workflow is switched off.' });
    if (known.config.method !== 'ANY' && known.config.method !== req.method) {
      return void refuse(404, 'NOT_FOUND', '', {
        reason: `This webhook accepts ${known.config.method} requests; this was ${req.method}.`,
      });
    }

    const raw = await new Promise<Buffer | undefined>((resolve, reject) =>
      readBody(req, res, (error?: unknown) =>
        error ? reject(error) : resolve(Buffer.isBuffer(req.body) ? req.body : undefined),
      ),
    ).catch((error: { status?: number; length?: number }) => {
      const tooLarge = error.status === 413;
      refuse(
        tooLarge ? 413 : 400,
        tooLarge ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST',
        tooLarge ? `The body is larger than ${deps.maxBodyBytes} bytes.` : 'The body could not be read.',
        { size: Number(req.headers['content-length'] ?? error.length ?? 0) || 0 },
      );
      return null;
    });
    if (raw === null) return;

    // The signature is checked on the bytes as they came, before anything reads them.
    let deliveryId: string | undefined;
    if (known.config.signature) {
      if (!known.secret?.ok) {
        const reason = `The signature cannot be checked: ${known.secret?.message ?? 'no signing secret'}`;
        return void refuse(503, 'UNAVAILABLE', 'This webhook cannot verify signatures right now.', {
          reason,
          raw,
        });
      }
      const verified = verifySignature(known.config.signature, known.secret.key, req.headers, raw ?? EMPTY);
      if (!verified.ok) {
        return void refuse(401, 'INVALID_SIGNATURE', verified.message, {
          raw,
          extra: { reason: verified.failure },
        });
      }
      deliveryId = verified.deliveryId;
    }

    let body: unknown;
    try {
      body = parseBody(req.headers['content-type'], raw);
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      return void refuse(
        error.status,
        error.status === 415 ? 'UNSUPPORTED_MEDIA_TYPE' : 'BAD_REQUEST',
        error.message,
        {
          raw,
        },
      );
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
      return void refuse(400, 'BAD_REQUEST', message, { raw });
    }

    let idempotency: WebhookDelivery['idempotency'];
    const keyConfig = known.config.idempotency;
    if (keyConfig?.enabled) {
      const key = (keyConfig.deliveryId ? deliveryId : undefined) ?? headerValue(req, keyConfig.header);
      if (key !== undefined) {
        if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY) {
          return void refuse(
            400,
            'BAD_REQUEST',
            `The ${keyConfig.header} header must be 1–${MAX_IDEMPOTENCY_KEY} characters.`,
            { raw },
          );
        }
        const bodyHash = createHash('sha256')
          .update(raw ?? EMPTY)
          .digest('hex');
        idempotency = { key, bodyHash, ttlHours: keyConfig.ttlHours };
      }
    }

    const record = deliveryRecord(known, req, receivedAt, raw);
    const submit = (current: KnownWebhook) =>
      ingest.submit({
        workflowId: current.workflowId,
        version: current.version,
        method: req.method,
        trigger: {
          method: req.method,
          path: req.path,
          query,
          headers: headersOf(req),
          body,
          receivedAt: new Date().toISOString(),
        },
        receivedBody: raw && raw.length > 0 ? raw : null,
        ...(idempotency ? { idempotency } : {}),
        record,
      });
    let result = await submit(known);
    if (result.status === 'stale') {
      // Saved since it was looked up. Submitted again at the new version when what this request was
      // checked against is unchanged (a rename, new steps); otherwise the caller retries afresh.
      lookup.forget(webhookId);
      const current = await lookup.find(webhookId).catch(() => null);
      result = !current?.active
        ? { status: 'not-found' }
        : sameFrontDoor(current, known)
          ? await submit(current)
          : { status: 'unavailable' };
      if (result.status === 'stale') result = { status: 'unavailable' };
    }
    switch (result.status) {
      case 'accepted':
        res.locals.executionId = result.executionId;
        if (known.config.response?.mode === 'whenFinished') {
          return void (await answerWhenFinished(
            deps,
            res,
            result.executionId,
            known.config.response,
            record.id,
          ));
        }
        return void res.status(202).json({ executionId: result.executionId });
      case 'duplicate':
        res.locals.executionId = result.executionId;
        return void res
          .status(202)
          .set('Idempotent-Replayed', 'true')
          .json({ executionId: result.executionId });
      case 'conflict':
        return void res
          .status(422)
          .json({ error: { code: 'IDEMPOTENCY_KEY_REUSED', message: IDEMPOTENCY_CONFLICT } });
      case 'not-found':
        return void notFound(res);
      case 'rejected':
        ingest.record({
          ...record,
          outcome: 'rejected',
          statusCode: 400,
          reason: result.message,
          response: null,
          executionId: null,
        });
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
