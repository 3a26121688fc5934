/**
 * Webhook ingest with group commit. Every accepted webhook is durable before its 202 (execution row
 * and queue job committed together), and a commit costs a disk flush, so under load requests that
 * arrive while earlier ones are being written are gathered and written in one transaction: one
 * flush for many webhooks. With little traffic each request is written on its own at once.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { TriggerData } from '../db/schema';
import type { ExecutionQueue } from './executions';

export interface WebhookDelivery {
  webhookId: string;
  method: string;
  trigger: TriggerData;
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
}

/** SQLSTATE classes 22 (data exception) and 23 (integrity): the data is at fault, not the database. */
function isDataError(error: unknown): boolean {
  const code =
    (error as { code?: unknown; cause?: { code?: unknown } }).cause?.code ??
    (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

export class WebhookIngest {
  private readonly pending: Pending[] = [];
  private inFlight = 0;
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly db: Db,
    private readonly queue: ExecutionQueue,
    options: IngestOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.maxInFlight = options.maxInFlight ?? 4;
  }

  submit(delivery: WebhookDelivery): Promise<IngestResult> {
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

  private async write(batch: Pending[]): Promise<void> {
    try {
      const accepted = await this.insert(batch);
      for (const item of batch) {
        item.resolve(
          accepted.has(item.id) ? { status: 'accepted', executionId: item.id } : { status: 'not-found' },
        );
      }
    } catch (error) {
      if (!isDataError(error)) {
        for (const item of batch) item.resolve({ status: 'unavailable' });
        return;
      }
      // One payload the database will not store must not fail the others: write them one by one.
      if (batch.length > 1) {
        for (const item of batch) await this.write([item]);
        return;
      }
      batch[0]?.resolve({
        status: 'rejected',
        message: 'The request contains data that cannot be stored (for example a NUL character).',
      });
    }
  }

  /**
   * One statement looks the workflows up and inserts the executions with their definition snapshot,
   * so the definition never travels through this process; a second sends the jobs.
   */
  private async insert(batch: Pending[]): Promise<Set<string>> {
    const rows = batch.map(({ id, delivery }) => ({
      id,
      webhook_id: delivery.webhookId,
      method: delivery.method,
      trigger: delivery.trigger,
    }));
    return this.db.transaction(async (tx) => {
      const inserted = await tx.execute<{ id: string }>(sql`
        insert into executions (id, workflow_id, user_id, mode, trigger, definition, workflow_version)
        select v.id, w.id, w.user_id, 'webhook', v.trigger, w.definition, w.version
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, webhook_id text, method text, trigger jsonb)
        join workflows w on w.webhook_id = v.webhook_id
        where w.active and (w.definition #>> '{trigger,config,method}') in ('ANY', v.method)
        returning id`);
      const ids = inserted.map((row) => row.id);
      if (ids.length > 0) await this.queue.enqueueMany(tx, ids);
      return new Set(ids);
    });
  }
}
