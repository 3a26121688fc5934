/**
 * Webhook ingest with group commit. Every accepted webhook is durable before its 202 (execution row
 * and queue job committed together), and a commit costs a disk flush, so under load requests that
 * arrive while earlier ones are being written are gathered and written in one transaction: one
 * flush for many webhooks. With little traffic each request is written on its own at once.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookTriggerData } from '@automateos/shared';
import type { TransactionSql } from 'postgres';
import type { Db } from '../db/client';
import { isConnectionError, isInputError, UNSTORABLE_INPUT } from '../db/errors';
import type { DeliveryOutcome } from '../db/schema';
import { pruneDeliveries } from './deliveries';
import type { ExecutionQueue } from './executions';

/** A delivery as the inspector records it (services/deliveries.ts); ingest fills in the outcome. */
export interface DeliveryRecord {
  id: string;
  /** When the request arrived (ISO 8601): batch-mates share a commit, not an arrival. */
  receivedAt: string;
  workflowId: string;
  userId: string;
  method: string;
  url: string;
  size: number;
  headers: Record<string, string>;
  bodyPreview: string;
  bodyTruncated: boolean;
  outcome: DeliveryOutcome;
  statusCode: number;
  reason: string | null;
  response: unknown;
  executionId: string | null;
}

export interface WebhookDelivery {
  /** The workflow as ingest looked it up: inserted only while it is still active at that version. */
  workflowId: string;
  version: number;
  method: string;
  trigger: WebhookTriggerData;
  /** The body's bytes exactly as they arrived, kept beside the parsed trigger data. */
  receivedBody: Buffer | null;
  idempotency?: { key: string; bodyHash: string; ttlHours: number };
  /** Recorded with the outcome in the transaction that decides it. */
  record: Omit<DeliveryRecord, 'outcome' | 'statusCode' | 'reason' | 'response' | 'executionId'>;
}

export type IngestResult =
  | { status: 'accepted'; executionId: string }
  /** The idempotency key was seen with this body: the earlier execution, nothing new. */
  | { status: 'duplicate'; executionId: string }
  /** The idempotency key was seen with another body. */
  | { status: 'conflict'; executionId: string }
  /** Switched off or deleted since it was looked up. */
  | { status: 'not-found' }
  /** Changed since it was looked up (its signature settings may have): look it up again. */
  | { status: 'stale' }
  /** The database refused this payload's data. */
  | { status: 'rejected'; message: string }
  /** Not stored; retry later. `busy`: too much is waiting already. */
  | { status: 'unavailable' | 'busy' };

interface Pending {
  id: string;
  /** A refused delivery only to be recorded: nobody waits for it. */
  recordOnly: boolean;
  workflowId: string;
  version: number;
  method: string;
  /**
   * The trigger as JSON text, serialised on its own (a payload that cannot be serialised fails alone),
   * and the received body as a JSON string of its base64.
   */
  triggerJson: string;
  receivedBodyJson: string;
  idempotency: WebhookDelivery['idempotency'];
  record: DeliveryRecord;
  resolve: (result: IngestResult) => void;
}

/** The answer a delivery's outcome gets, as the inspector records it. */
function answerOf(
  result: IngestResult,
): Pick<DeliveryRecord, 'outcome' | 'statusCode' | 'reason' | 'response' | 'executionId'> {
  switch (result.status) {
    case 'accepted':
      return {
        outcome: 'accepted',
        statusCode: 202,
        reason: null,
        response: { executionId: result.executionId },
        executionId: result.executionId,
      };
    case 'duplicate':
      return {
        outcome: 'duplicate',
        statusCode: 202,
        reason: 'Idempotency key seen before with the same body: answered with the earlier execution.',
        response: { executionId: result.executionId },
        executionId: result.executionId,
      };
    case 'conflict':
      return {
        outcome: 'rejected',
        statusCode: 422,
        reason: IDEMPOTENCY_CONFLICT,
        response: { error: { code: 'IDEMPOTENCY_KEY_REUSED', message: IDEMPOTENCY_CONFLICT } },
        executionId: null,
      };
    default:
      return {
        outcome: 'rejected',
        statusCode: 503,
        reason: result.status,
        response: null,
        executionId: null,
      };
  }
}

export const IDEMPOTENCY_CONFLICT = 'This idempotency key was used before with a different body.';

export interface IngestOptions {
  /** Most webhooks written in one transaction. */
  maxBatch?: number;
  /** Transactions written at the same time; requests arriving beyond that wait for the next batch. */
  maxInFlight?: number;
  /** A batch not committed by then is answered 503 (and rolled back if it ever gets that far). */
  timeoutMs?: number;
  /** Deliveries accepted for writing but not yet answered; beyond it, 503 at once. */
  maxQueued?: number;
  /** The same bound in bytes of trigger JSON, so large bodies cannot fill the memory either. */
  maxQueuedBytes?: number;
}

const PRUNE_DELAY_MS = 250;

/** Thrown inside the transaction when its webhooks were already answered 503: roll it back. */
class IngestAbandoned extends Error {}

export class WebhookIngest {
  private readonly pending: Pending[] = [];
  /**
   * Workflows with deliveries recorded since their bound was last kept. Kept after the batches that
   * wrote them have committed, in a statement of its own, so the delete sees every committed row:
   * batches written side by side would each see only their own.
   */
  private readonly touched = new Set<string>();
  private pruneTimer: NodeJS.Timeout | undefined;
  private pruning = false;
  private inFlight = 0;
  /** Every submitted delivery not yet answered (pending or being written), and its bytes. */
  private queued = 0;
  private queuedBytes = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private readonly maxQueuedBytes: number;
  /** While the database is failing, answer 503 at once instead of queueing behind dead connections. */
  private unavailableUntil = 0;

  constructor(
    private readonly db: Db,
    private readonly queue: ExecutionQueue,
    options: IngestOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxInFlight = options.maxInFlight ?? 4;
    this.timeoutMs = options.timeoutMs ?? 2_500;
    this.maxQueued = options.maxQueued ?? 5_000;
    this.maxQueuedBytes = options.maxQueuedBytes ?? 64 * 1024 * 1024;
  }

  /**
   * Records a refused delivery in the next batch, without waiting for it (the answer has gone out).
   * Dropped while the database is away or too much is waiting: the record is best effort, the
   * refusal is not.
   */
  record(record: DeliveryRecord): void {
    if (Date.now() < this.unavailableUntil) return;
    const recordJson = JSON.stringify(record);
    if (this.queued >= this.maxQueued || this.queuedBytes + recordJson.length > this.maxQueuedBytes) return;
    this.enqueue(
      {
        id: randomUUID(),
        recordOnly: true,
        workflowId: record.workflowId,
        version: 0,
        method: record.method,
        triggerJson: 'null',
        receivedBodyJson: 'null',
        idempotency: undefined,
        record,
      },
      recordJson.length,
      () => {},
    );
  }

  submit(delivery: WebhookDelivery): Promise<IngestResult> {
    if (Date.now() < this.unavailableUntil) return Promise.resolve({ status: 'unavailable' });
    let triggerJson: string;
    try {
      triggerJson = JSON.stringify(delivery.trigger);
    } catch {
      // The web handler bounds the nesting first; this is the last line for anything else.
      return Promise.resolve({ status: 'rejected', message: 'The body cannot be stored as JSON.' });
    }
    const receivedBodyJson = delivery.receivedBody ? `"${delivery.receivedBody.toString('base64')}"` : 'null';
    const bytes = triggerJson.length + receivedBodyJson.length;
    if (this.queued >= this.maxQueued || this.queuedBytes + bytes > this.maxQueuedBytes) {
      return Promise.resolve({ status: 'busy' });
    }
    return new Promise((resolve) => {
      this.enqueue(
        {
          id: randomUUID(),
          recordOnly: false,
          workflowId: delivery.workflowId,
          version: delivery.version,
          method: delivery.method,
          triggerJson,
          receivedBodyJson,
          idempotency: delivery.idempotency,
          record: {
            ...delivery.record,
            outcome: 'accepted',
            statusCode: 202,
            reason: null,
            response: null,
            executionId: null,
          },
        },
        bytes,
        resolve,
      );
    });
  }

  private enqueue(item: Omit<Pending, 'resolve'>, bytes: number, resolve: (result: IngestResult) => void) {
    this.queued += 1;
    this.queuedBytes += bytes;
    let answered = false;
    this.pending.push({
      ...item,
      resolve: (result) => {
        if (answered) return;
        answered = true;
        this.queued -= 1;
        this.queuedBytes -= bytes;
        resolve(result);
      },
    });
    this.pump();
  }

  /** Keeps the bound of the touched workflows shortly (soon after a burst, once a while during one). */
  private schedulePrune() {
    if (this.pruneTimer || this.pruning || this.touched.size === 0) return;
    this.pruneTimer = setTimeout(() => {
      this.pruneTimer = undefined;
      const workflowIds = [...this.touched];
      this.touched.clear();
      this.pruning = true;
      pruneDeliveries(this.db, workflowIds)
        .catch(() => {
          // The database is away: the next delivery of these workflows prunes again.
        })
        .finally(() => {
          this.pruning = false;
          this.schedulePrune();
        });
    }, PRUNE_DELAY_MS);
    this.pruneTimer.unref();
  }

  private pump() {
    while (this.inFlight < this.maxInFlight && this.pending.length > 0) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight++;
      void this.write(batch).finally(() => {
        this.inFlight--;
        this.pump();
      });
    }
  }

  private markUnavailable() {
    this.unavailableUntil = Date.now() + 1_000;
    for (const item of this.pending.splice(0)) item.resolve({ status: 'unavailable' });
  }

  private async write(batch: Pending[]): Promise<void> {
    // postgres.js keeps queries waiting while it reconnects to a database that went away, for many
    // seconds: answer 503 after a bound instead, and make sure the late transaction rolls back.
    let abandoned = false;
    const timer = setTimeout(() => {
      abandoned = true;
      for (const item of batch) item.resolve({ status: 'unavailable' });
      this.markUnavailable();
    }, this.timeoutMs);
    try {
      const results = await this.insert(batch, () => abandoned);
      for (const item of batch) item.resolve(results.get(item.id) ?? { status: 'not-found' });
      // Committed: from now on a prune sees these deliveries.
      for (const item of batch) this.touched.add(item.workflowId);
      this.schedulePrune();
    } catch (error) {
      clearTimeout(timer);
      if (abandoned) return;
      // Only a database that cannot be reached makes ingest unavailable for everyone.
      if (isConnectionError(error)) {
        for (const item of batch) item.resolve({ status: 'unavailable' });
        this.markUnavailable();
        return;
      }
      // Anything else may be one delivery's fault: halve the batch until it fails alone.
      if (batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        await this.write(batch.slice(0, half));
        await this.write(batch.slice(half));
        return;
      }
      batch[0]?.resolve(
        isInputError(error) ? { status: 'rejected', message: UNSTORABLE_INPUT } : { status: 'unavailable' },
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * In one transaction: the executions inserted with their definition snapshot (the definition never
   * travels through this process), their idempotency keys claimed in the same statement (a key
   * already held answers with its execution), their jobs sent, and every delivery of the batch recorded.
   */
  private async insert(batch: Pending[], abandoned: () => boolean): Promise<Map<string, IngestResult>> {
    const results = new Map<string, IngestResult>();
    const deliveries = batch.filter((item) => !item.recordOnly);
    // Deliveries of one key in the same batch: the first decides, the others are its duplicates.
    const leaders = new Map<string, Pending>();
    const followers: { item: Pending; leader: Pending }[] = [];
    for (const item of deliveries) {
      if (!item.idempotency) continue;
      const slot = `${item.workflowId}\n${item.idempotency.key}`;
      const leader = leaders.get(slot);
      if (leader) followers.push({ item, leader });
      else leaders.set(slot, item);
    }
    const following = new Set(followers.map(({ item }) => item));

    // postgres.js's own transaction, every statement prepared: small batches (a few webhooks at a
    // time) otherwise spent about 40 % of PostgreSQL's time parsing and planning the same statements
    // again; at c=10 ingest went from 139/s to 220/s (bench/README.md).
    return this.db.$client.begin(async (tx) => {
      const run = <T extends object>(text: string, params: (string | number)[]) =>
        tx.unsafe<T[]>(text, params, { prepare: true });
      if (abandoned()) throw new IngestAbandoned();
      const toInsert = deliveries.filter((item) => !following.has(item));
      // Joined from each delivery's own JSON text: the batch is never serialised as one value.
      const rows = `[${toInsert
        .map((item) => {
          const key = item.idempotency
            ? `,"key":${JSON.stringify(item.idempotency.key)},"body_hash":"${item.idempotency.bodyHash}","ttl_hours":${item.idempotency.ttlHours}`
            : '';
          return `{"id":"${item.id}","workflow_id":"${item.workflowId}","version":${item.version},"method":${JSON.stringify(item.method)},"trigger":${item.triggerJson},"received_body":${item.receivedBodyJson}${key}}`;
        })
        .join(',')}]`;
      const inserted = toInsert.length > 0 ? await run<{ id: string }>(INSERT_EXECUTIONS, [rows]) : [];
      const ids = inserted.map((row) => row.id);
      if (ids.length > 0) await this.queue.enqueueMany(tx, ids);
      for (const id of ids) results.set(id, { status: 'accepted', executionId: id });

      let missed = toInsert.filter((item) => !results.has(item.id));
      // Not inserted with a key: another delivery holds it (its answer is this one's), or the
      // workflow changed, as for those without one.
      const keyed = missed.filter((item) => item.idempotency);
      const held = new Map<Pending, { executionId: string; bodyHash: string }>();
      if (keyed.length > 0) {
        const existing = await run<{
          workflow_id: string;
          key: string;
          execution_id: string;
          body_hash: string;
        }>(HELD_KEYS, [
          JSON.stringify(keyed.map((item) => ({ workflow_id: item.workflowId, key: item.idempotency?.key }))),
        ]);
        for (const item of keyed) {
          const row = existing.find(
            (row) => row.workflow_id === item.workflowId && row.key === item.idempotency?.key,
          );
          if (!row) continue;
          held.set(item, { executionId: row.execution_id, bodyHash: row.body_hash });
          results.set(
            item.id,
            row.body_hash === item.idempotency?.bodyHash
              ? { status: 'duplicate', executionId: row.execution_id }
              : { status: 'conflict', executionId: row.execution_id },
          );
        }
        missed = missed.filter((item) => !held.has(item));
      }
      if (missed.length > 0) {
        // Switched off or deleted (404), or saved again since it was looked up.
        const current = await run<{ id: string }>(ACTIVE_WORKFLOWS, [
          JSON.stringify(missed.map((item) => item.workflowId)),
        ]);
        const live = new Set(current.map((row) => row.id));
        for (const item of missed)
          results.set(item.id, live.has(item.workflowId) ? { status: 'stale' } : { status: 'not-found' });
      }
      for (const { item, leader } of followers) {
        const decided = results.get(leader.id);
        // The body the key holds: the one stored before, or the leader's own if it claimed the key.
        const keptHash = held.get(leader)?.bodyHash ?? leader.idempotency?.bodyHash;
        results.set(
          item.id,
          decided?.status === 'accepted' || decided?.status === 'duplicate' || decided?.status === 'conflict'
            ? item.idempotency?.bodyHash === keptHash
              ? { status: 'duplicate', executionId: decided.executionId }
              : { status: 'conflict', executionId: decided.executionId }
            : (decided ?? { status: 'not-found' }),
        );
      }
      await this.recordDeliveries(tx, batch, results);
      if (abandoned()) throw new IngestAbandoned();
      return results;
    });
  }

  /** Every delivery of the batch that has a workflow to own it, then each workflow's bound kept. */
  private async recordDeliveries(tx: TransactionSql, batch: Pending[], results: Map<string, IngestResult>) {
    const records = batch.flatMap((item) => {
      if (item.recordOnly) return [item.record];
      const result = results.get(item.id);
      // Stale ones are submitted again by the caller and recorded then.
      if (!result || result.status === 'stale') return [];
      if (result.status === 'not-found') {
        return [
          {
            ...item.record,
            outcome: 'rejected' as const,
            statusCode: 404,
            reason: 'The workflow was switched off.',
            response: null,
            executionId: null,
          },
        ];
      }
      return [{ ...item.record, ...answerOf(result) }];
    });
    if (records.length === 0) return;
    const rows = `[${records.map((record) => JSON.stringify(record)).join(',')}]`;
    await tx.unsafe(RECORD_DELIVERIES, [rows], { prepare: true });
  }
}

// The statements of an ingest transaction, each prepared once per connection.

/**
 * Executions with their definition snapshot, only while the workflow is active at the version looked
 * up, and in the same statement the idempotency keys claimed: a delivery with a key is inserted only
 * if it took the key (a new one, or one whose window has passed). One statement, so a key never names
 * an execution that was not inserted, and the verifying path costs no round trip more than the plain one.
 */
const INSERT_EXECUTIONS = `
  with live as (
    select v.*, w.user_id, w.definition
    from json_to_recordset($1::json) as v(id uuid, workflow_id uuid, version int, method text, trigger json,
      received_body text, key text, body_hash text, ttl_hours int)
    join workflows w on w.id = v.workflow_id
    where w.active and w.version = v.version and (w.definition #>> '{trigger,config,method}') in ('ANY', v.method)
  ), claimed as (
    insert into webhook_idempotency_keys (workflow_id, key, body_hash, execution_id, expires_at)
    select workflow_id, key, decode(body_hash, 'hex'), id, now() + make_interval(hours => ttl_hours)
    from live where key is not null
    on conflict (workflow_id, key) do update
      set body_hash = excluded.body_hash, execution_id = excluded.execution_id, created_at = now(), expires_at = excluded.expires_at
      where webhook_idempotency_keys.expires_at <= now()
    returning execution_id
  )
  insert into executions (id, workflow_id, user_id, mode, trigger, received_body, definition, workflow_version)
  select id, workflow_id, user_id, 'webhook', trigger, decode(received_body, 'base64'), definition, version
  from live
  where key is null or id in (select execution_id from claimed)
  returning id`;

/**
 * The keys another delivery holds, with the execution and body hash they hold. Only those in their
 * window: an expired one not taken over belongs to a workflow that is no longer live.
 */
const HELD_KEYS = `
  select k.workflow_id, k.key, k.execution_id, encode(k.body_hash, 'hex') as body_hash
  from json_to_recordset($1::json) as v(workflow_id uuid, key text)
  join webhook_idempotency_keys k on k.workflow_id = v.workflow_id and k.key = v.key
  where k.expires_at > now()`;

const ACTIVE_WORKFLOWS = `
  select w.id from workflows w
  where w.id in (select value::uuid from json_array_elements_text($1::json)) and w.active`;

const RECORD_DELIVERIES = `
  insert into webhook_deliveries (id, received_at, workflow_id, user_id, method, url, size, headers, body_preview, body_truncated, outcome, status_code, reason, response, execution_id)
  select v.id, v."receivedAt", v."workflowId", v."userId", v.method, v.url, v.size, v.headers, v."bodyPreview", v."bodyTruncated", v.outcome, v."statusCode", v.reason, v.response, v."executionId"
  from json_to_recordset($1::json) as v(id uuid, "receivedAt" timestamptz, "workflowId" uuid, "userId" uuid, method text, url text, size int, headers json, "bodyPreview" text, "bodyTruncated" boolean, outcome text, "statusCode" int, reason text, response json, "executionId" uuid)
  join workflows w on w.id = v."workflowId"`;
