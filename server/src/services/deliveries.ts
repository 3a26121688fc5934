/**
 * The delivery inspector: what each request to a workflow's webhook URL looked like and what it was
 * answered. Ingest writes the records (in its batches); this reads them, keeps each workflow's
 * within its bound, and replays one as a test run.
 */
import { randomUUID } from 'node:crypto';
import {
  DELIVERIES_KEPT,
  DELIVERY_PREVIEW_BYTES,
  isSecretLookingName,
  jsonValueProblem,
  MAX_JSON_DEPTH,
} from '@automateos/shared';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { Redactor } from '../credentials/redact';
import type { Db } from '../db/client';
import { executions, webhookDeliveries, workflows } from '../db/schema';
import { BodyError, fieldsOf, parseBody } from '../triggers/webhook-body';
import { notFound, ServiceError } from './errors';
import { createExecution, type ExecutionQueue } from './executions';
import type { DeliveryRecord } from './ingest';

const MASK = '••••••';

/** Headers as recorded: secrets, cookies and signatures masked, everything else as sent. */
export function maskedHeaders(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  /** The workflow's own signature header (custom HMAC), whatever its name. */
  signatureHeader?: string,
) {
  const masked: Record<string, string> = Object.create(null);
  const own = signatureHeader?.toLowerCase();
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    masked[name] =
      name === own || isSecretLookingName(name) || /signature/i.test(name)
        ? MASK
        : Array.isArray(value)
          ? value.join(', ')
          : value;
  }
  return masked;
}

/** The start of the body as text (NUL characters, which Postgres text cannot hold, shown as �). */
export function bodyPreview(raw: Buffer | undefined): { bodyPreview: string; bodyTruncated: boolean } {
  if (!raw || raw.length === 0) return { bodyPreview: '', bodyTruncated: false };
  const truncated = raw.length > DELIVERY_PREVIEW_BYTES;
  const text = raw.subarray(0, DELIVERY_PREVIEW_BYTES).toString('utf8').replaceAll('\0', '\uFFFD');
  return { bodyPreview: text, bodyTruncated: truncated };
}

/** A delivery's record before its outcome is known. */
export function newDeliveryRecord(input: {
  workflowId: string;
  userId: string;
  method: string;
  url: string;
  headers: Readonly<Record<string, string | string[] | undefined>>;
  raw: Buffer | undefined;
  size: number;
  receivedAt: Date;
  signatureHeader?: string | undefined;
}): Omit<DeliveryRecord, 'outcome' | 'statusCode' | 'reason' | 'response' | 'executionId'> {
  return {
    id: randomUUID(),
    receivedAt: input.receivedAt.toISOString(),
    workflowId: input.workflowId,
    userId: input.userId,
    method: input.method,
    url: input.url.slice(0, 2048),
    size: input.size,
    headers: maskedHeaders(input.headers, input.signatureHeader),
    ...bodyPreview(input.raw),
  };
}

/** Deletes each workflow's deliveries beyond the newest DELIVERIES_KEPT. */
export async function pruneDeliveries(db: Pick<Db, 'execute'>, workflowIds: string[]) {
  if (workflowIds.length === 0) return;
  await db.execute(sql`
    delete from webhook_deliveries where id in (
      select old.id from json_array_elements_text(${JSON.stringify(workflowIds)}::json) as w(id)
      cross join lateral (
        select d.id from webhook_deliveries d where d.workflow_id = w.id::uuid
        order by d.received_at desc, d.id desc offset ${DELIVERIES_KEPT}
      ) old
    )`);
}

/**
 * After an execution found a secret of its credentials in its trigger data (a caller posting the
 * token), the deliveries that brought it are cleaned the same way: URL, headers and body preview.
 */
export async function redactDeliveries(
  db: Db,
  of: { workflowId: string; executionId: string },
  redactor: Redactor,
) {
  const rows = await db
    .select({
      id: webhookDeliveries.id,
      url: webhookDeliveries.url,
      headers: webhookDeliveries.headers,
      bodyPreview: webhookDeliveries.bodyPreview,
    })
    .from(webhookDeliveries)
    // Among the workflow's own (a bounded few, by its index), not a scan of every account's.
    .where(
      and(eq(webhookDeliveries.workflowId, of.workflowId), eq(webhookDeliveries.executionId, of.executionId)),
    );
  for (const row of rows) {
    await db
      .update(webhookDeliveries)
      .set({
        url: redactor.text(row.url),
        headers: redactor.value(row.headers),
        bodyPreview: redactor.text(row.bodyPreview),
      })
      .where(eq(webhookDeliveries.id, row.id));
  }
}

/** The answer of a `whenFinished` delivery, once it is known. */
export async function recordAnswer(db: Db, id: string, answer: { statusCode: number; response: unknown }) {
  await db
    .update(webhookDeliveries)
    .set({ statusCode: answer.statusCode, response: answer.response })
    .where(eq(webhookDeliveries.id, id));
}

const listColumns = {
  id: webhookDeliveries.id,
  receivedAt: webhookDeliveries.receivedAt,
  method: webhookDeliveries.method,
  url: webhookDeliveries.url,
  size: webhookDeliveries.size,
  headers: webhookDeliveries.headers,
  bodyPreview: webhookDeliveries.bodyPreview,
  bodyTruncated: webhookDeliveries.bodyTruncated,
  outcome: webhookDeliveries.outcome,
  statusCode: webhookDeliveries.statusCode,
  reason: webhookDeliveries.reason,
  response: webhookDeliveries.response,
  executionId: webhookDeliveries.executionId,
};

/** `webhooks.deliveries`: newest first, keyset-paginated. */
export async function listDeliveries(
  db: Db,
  userId: string,
  input: { workflowId: string; cursor?: string | undefined; limit: number },
) {
  const [workflow] = await db
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.id, input.workflowId), eq(workflows.userId, userId)));
  if (!workflow) throw notFound('Workflow');
  const where = [eq(webhookDeliveries.workflowId, input.workflowId), eq(webhookDeliveries.userId, userId)];
  if (input.cursor) {
    where.push(
      sql`(${webhookDeliveries.receivedAt}, ${webhookDeliveries.id}) < (select c.received_at, c.id from ${webhookDeliveries} c where c.id = ${input.cursor} and c.user_id = ${userId})`,
    );
  }
  const rows = await db
    .select(listColumns)
    .from(webhookDeliveries)
    .where(and(...where))
    .orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit);
  return { items, nextCursor: rows.length > input.limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * `webhooks.replayDelivery`: the recorded request (method, query, masked headers, body) as a test
 * run of the saved workflow. A body longer than the preview comes from the execution it started,
 * while that is kept; a refused one that long cannot be replayed.
 */
export async function replayDelivery(db: Db, queue: ExecutionQueue, userId: string, id: string) {
  const [row] = await db
    .select({ delivery: webhookDeliveries, workflow: workflows })
    .from(webhookDeliveries)
    .innerJoin(workflows, eq(workflows.id, webhookDeliveries.workflowId))
    .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.userId, userId)));
  if (!row) throw notFound('Delivery');
  const { delivery, workflow } = row;
  if (workflow.definition.trigger.type !== 'webhook') {
    throw new ServiceError('BAD_REQUEST', 'The workflow has no webhook trigger any more: nothing to replay.');
  }
  let raw: Buffer = Buffer.from(delivery.bodyPreview, 'utf8');
  if (delivery.bodyTruncated) {
    const [original] = delivery.executionId
      ? await db
          .select({ receivedBody: executions.receivedBody })
          .from(executions)
          .where(and(eq(executions.id, delivery.executionId), eq(executions.userId, userId)))
      : [];
    if (!original?.receivedBody) {
      throw new ServiceError(
        'BAD_REQUEST',
        `Only the first ${DELIVERY_PREVIEW_BYTES / 1024} KiB of this body were kept, so it cannot be replayed.`,
      );
    }
    raw = original.receivedBody;
  }
  let body: unknown;
  try {
    body = parseBody(delivery.headers['content-type'], raw);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    throw new ServiceError('BAD_REQUEST', `This delivery's body cannot be replayed: ${error.message}`);
  }
  const url = new URL(delivery.url, 'http://x');
  const query = fieldsOf(url.searchParams);
  if (jsonValueProblem(body, { maxDepth: MAX_JSON_DEPTH })) {
    throw new ServiceError('BAD_REQUEST', "This delivery's body cannot be replayed: it was refused as data.");
  }
  const created = await createExecution(db, queue, {
    workflow,
    mode: 'manual',
    trigger: {
      method: delivery.method,
      path: url.pathname,
      query,
      headers: delivery.headers,
      body,
      receivedAt: new Date().toISOString(),
    },
    receivedBody: raw.length > 0 ? raw : null,
  });
  return { executionId: created.id };
}
