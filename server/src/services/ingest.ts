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
import { isDataOrIntegrityError, UNSTORABLE_INPUT } from '../db/errors';
import type { ExecutionQueue } from './executions';

export interface WebhookDelivery {
  webhookId: string;
  method: string;
  trigger: WebhookTriggerData;
}

export type IngestResult =
  | { status: 'accepted'; executionId: string }
  /** Unknown id, switched off, or a method the trigger does not take: all look the same. */
  | { status: 'not-found' }
  /** The database refused this payload's data (e.g. a NUL character, which jsonb cannot hold). */
  | { status: 'rejected'; message: string }
  | { status: 'unavailable' };

interface Pending {
  delivery: WebhookDelivery;
  id: string;
  resolve: (result: IngestResult) => void;
}

export interface IngestOptions {
  /** Most webhooks written in one transaction. */
  maxBatch?: number;
  /** Transactions written at the same time; requests arriving beyond that wait for the next batch. */
  maxInFlight?: number;
  /** A batch not committed by then is answered 503 (and rolled back if it ever gets that far). */
  timeoutMs?: number;
}

/** Thrown inside the transaction when its webhooks were already answered 503: roll it back. */
class IngestAbandoned extends Error {}

export class WebhookIngest {
  private readonly pending: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;
  private readonly timeoutMs: number;
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
  }

  submit(delivery: WebhookDelivery): Promise<IngestResult> {
    if (Date.now() < this.unavailableUntil) return Promise.resolve({ status: 'unavailable' });
    return new Promise((resolve) => {
      this.pending.push({ delivery, id: randomUUID(), resolve });
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
      if (abandoned) return;
      if (!isDataOrIntegrityError(error)) {
        for (const item of batch) item.resolve({ status: 'unavailable' });
        this.markUnavailable();
        return;
      }
      // One payload the database will not store must not fail the others: write them one by one.
      if (batch.length > 1) {
        for (const item of batch) await this.write([item]);
        return;
      }
      batch[0]?.resolve({ status: 'rejected', message: UNSTORABLE_INPUT });
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * One statement looks the workflows up and inserts the executions with their definition snapshot,
   * so the definition never travels through this process; a second sends the jobs.
   */
  private async insert(batch: Pending[], abandoned: () => boolean): Promise<Set<string>> {
    const rows = batch.map(({ id, delivery }) => ({
      id,
      webhook_id: delivery.webhookId,
      method: delivery.method,
      trigger: delivery.trigger,
    }));
    return this.db.transaction(async (tx) => {
      if (abandoned()) throw new IngestAbandoned();
      const inserted = await tx.execute<{ id: string }>(sql`
        insert into executions (id, workflow_id, user_id, mode, trigger, definition, workflow_version)
        select v.id, w.id, w.user_id, 'webhook', v.trigger, w.definition, w.version
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, webhook_id text, method text, trigger jsonb)
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
