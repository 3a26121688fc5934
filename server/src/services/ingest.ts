/**
 * Webhook ingest with group commit. Every accepted webhook is durable before its 202 (execution row
 * and queue job committed together), and a commit costs a disk flush, so under load requests that
 * arrive while earlier ones are being written are gathered and written in one transaction: one
 * flush for many webhooks. With little traffic each request is written on its own at once.
 */
import { randomUUID } from 'node:crypto';
import type { WebhookTriggerData } from '@automateos/shared';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { isConnectionError, isInputError, UNSTORABLE_INPUT } from '../db/errors';
import type { ExecutionQueue } from './executions';

export interface WebhookDelivery {
  webhookId: string;
  method: string;
  trigger: WebhookTriggerData;
  /** The body's bytes exactly as they arrived, kept beside the parsed trigger data. */
  receivedBody: Buffer | null;
}

export type IngestResult =
  | { status: 'accepted'; executionId: string }
  /** Unknown id, switched off, or a method the trigger does not take: all look the same. */
  | { status: 'not-found' }
  /** The database refused this payload's data. */
  | { status: 'rejected'; message: string }
  /** Not stored; retry later. `busy`: too much is waiting already. */
  | { status: 'unavailable' | 'busy' };

interface Pending {
  id: string;
  webhookId: string;
  method: string;
  /**
   * The trigger as JSON text, serialised on its own (a payload that cannot be serialised fails alone),
   * and the received body as a JSON string of its base64.
   */
  triggerJson: string;
  receivedBodyJson: string;
  resolve: (result: IngestResult) => void;
}

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

/** Thrown inside the transaction when its webhooks were already answered 503: roll it back. */
class IngestAbandoned extends Error {}

export class WebhookIngest {
  private readonly pending: Pending[] = [];
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
    this.queued += 1;
    this.queuedBytes += bytes;
    return new Promise((resolve) => {
      let answered = false;
      this.pending.push({
        id: randomUUID(),
        webhookId: delivery.webhookId,
        method: delivery.method,
        triggerJson,
        receivedBodyJson,
        resolve: (result) => {
          if (answered) return;
          answered = true;
          this.queued -= 1;
          this.queuedBytes -= bytes;
          resolve(result);
        },
      });
      this.pump();
    });
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
      const accepted = await this.insert(batch, () => abandoned);
      for (const item of batch) {
        item.resolve(
          accepted.has(item.id) ? { status: 'accepted', executionId: item.id } : { status: 'not-found' },
        );
      }
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
   * One statement looks the workflows up and inserts the executions with their definition snapshot,
   * so the definition never travels through this process; a second sends the jobs.
   */
  private async insert(batch: Pending[], abandoned: () => boolean): Promise<Set<string>> {
    // Joined from each delivery's own JSON text: the batch is never serialised as one value.
    const rows = `[${batch
      .map(
        (item) =>
          `{"id":"${item.id}","webhook_id":${JSON.stringify(item.webhookId)},"method":${JSON.stringify(item.method)},"trigger":${item.triggerJson},"received_body":${item.receivedBodyJson}}`,
      )
      .join(',')}]`;
    return this.db.transaction(async (tx) => {
      if (abandoned()) throw new IngestAbandoned();
      const inserted = await tx.execute<{ id: string }>(sql`
        insert into executions (id, workflow_id, user_id, mode, trigger, received_body, definition, workflow_version)
        select v.id, w.id, w.user_id, 'webhook', v.trigger, decode(v.received_body, 'base64'), w.definition, w.version
        from json_to_recordset(${rows}::json) as v(id uuid, webhook_id text, method text, trigger json, received_body text)
        join workflows w on w.webhook_id = v.webhook_id
        where w.active and (w.definition #>> '{trigger,config,method}') in ('ANY', v.method)
        returning id`);
      const ids = inserted.map((row) => row.id);
      if (ids.length > 0) await this.queue.enqueueMany(tx, ids);
      if (abandoned()) throw new IngestAbandoned();
      return new Set(ids);
    });
  }
}
