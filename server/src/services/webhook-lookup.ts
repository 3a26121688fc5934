/**
 * What the web process needs to know about a webhook before it answers: which workflow owns it,
 * whether it is on, its trigger config and — when it verifies signatures — the signing secret,
 * decrypted. Kept for a few seconds per webhook id, so verification costs no database round trip per
 * request. A workflow saved since is caught at insert (ingest inserts only at the version looked up
 * here, and looks up again otherwise); a credential edited since takes effect within CACHE_MS.
 */
import type { KeyObject } from 'node:crypto';
import { type WebhookTriggerConfig, webhookTriggerConfigSchema } from '@automateos/shared';
import { eq } from 'drizzle-orm';
import type { Keyring } from '../credentials/keys';
import type { Db } from '../db/client';
import { workflows } from '../db/schema';
import { signingKey } from '../triggers/webhook-signatures';
import { CredentialUnavailableError, loadCredential } from './credentials';

export const CACHE_MS = 5_000;
const MAX_CACHED = 10_000;
/** A lookup slower than this fails: postgres.js would wait for a database that went away for many seconds. */
const LOOKUP_TIMEOUT_MS = 1_000;
/** After a failed lookup, how long lookups fail at once (or use what was known) instead of waiting again. */
const UNAVAILABLE_MS = 1_000;

export interface KnownWebhook {
  workflowId: string;
  userId: string;
  version: number;
  active: boolean;
  config: WebhookTriggerConfig;
  /**
   * The signing secret when `config.signature` is set, and the HMAC key made from it; an error
   * message when it cannot be read.
   */
  secret: { ok: true; value: string; key: KeyObject } | { ok: false; message: string } | null;
}

export class WebhookLookup {
  private readonly cache = new Map<string, { at: number; found: Promise<KnownWebhook | null> }>();
  /** The last answer per webhook, for while the database cannot be asked (ingest then answers 503 itself). */
  private readonly lastKnown = new Map<string, KnownWebhook>();
  private unavailableUntil = 0;

  constructor(private readonly deps: { db: Db; keyring: Keyring }) {}

  /**
   * The webhook, or null for an id no workflow has. While the database cannot be reached: what was
   * known of it last, or a throw (at once, not after the driver's reconnect attempts).
   */
  async find(webhookId: string): Promise<KnownWebhook | null> {
    const cached = this.cache.get(webhookId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.found;
    const known = this.lastKnown.get(webhookId);
    if (Date.now() < this.unavailableUntil) {
      if (known) return known;
      throw new Error('database unavailable');
    }
    try {
      return await this.lookUp(webhookId);
    } catch (error) {
      this.unavailableUntil = Date.now() + UNAVAILABLE_MS;
      if (known) return known;
      throw error;
    }
  }

  private lookUp(webhookId: string): Promise<KnownWebhook | null> {
    let timer: NodeJS.Timeout | undefined;
    const found = Promise.race([
      this.read(webhookId),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('lookup timed out')), LOOKUP_TIMEOUT_MS);
      }),
    ]).finally(() => clearTimeout(timer));
    // Unknown ids are not kept (they cost a lookup each, and are rate-limited by the caller), nor failures.
    found.then(
      (webhook) => {
        if (webhook) this.lastKnown.set(webhookId, webhook);
        else {
          this.cache.delete(webhookId);
          this.lastKnown.delete(webhookId);
        }
      },
      () => this.cache.delete(webhookId),
    );
    if (this.cache.size >= MAX_CACHED) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    if (this.lastKnown.size >= MAX_CACHED) {
      const oldest = this.lastKnown.keys().next().value;
      if (oldest !== undefined) this.lastKnown.delete(oldest);
    }
    this.cache.set(webhookId, { at: Date.now(), found });
    return found;
  }

  /** Forgets a webhook: the next request reads it again (after ingest found it changed). */
  forget(webhookId: string) {
    this.cache.delete(webhookId);
    this.lastKnown.delete(webhookId);
  }

  private async read(webhookId: string): Promise<KnownWebhook | null> {
    const [row] = await this.deps.db
      .select({
        id: workflows.id,
        userId: workflows.userId,
        version: workflows.version,
        active: workflows.active,
        definition: workflows.definition,
      })
      .from(workflows)
      .where(eq(workflows.webhookId, webhookId));
    if (row?.definition.trigger.type !== 'webhook') return null;
    const parsed = webhookTriggerConfigSchema.safeParse(row.definition.trigger.config);
    // Saved definitions were validated; one that no longer parses verifies nothing and runs nothing.
    const config: WebhookTriggerConfig = parsed.success ? parsed.data : { method: 'POST' };
    let secret: KnownWebhook['secret'] = null;
    if (config.signature) {
      try {
        const credential = await loadCredential(this.deps, row.userId, config.signature.credentialId);
        const value = 'secret' in credential.data ? credential.data.secret : undefined;
        secret =
          credential.type === 'webhookSecret' && typeof value === 'string'
            ? { ok: true, value, key: signingKey(config.signature, value) }
            : { ok: false, message: 'The signing credential is not a webhook secret.' };
      } catch (error) {
        if (!(error instanceof CredentialUnavailableError)) throw error;
        secret = { ok: false, message: error.message };
      }
    }
    return {
      workflowId: row.id,
      userId: row.userId,
      version: row.version,
      active: row.active && parsed.success,
      config,
      secret,
    };
  }
}
