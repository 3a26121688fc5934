/**
 * Re-encrypts every credential that is not under the active key, in batches of its own transaction
 * each: stopped halfway (Ctrl-C, a crash), it has lost nothing, and running it again carries on
 * with what is left. Safe beside running web and worker processes: a row being edited is locked,
 * skipped and picked up by the next run (the edit itself writes it under the active key).
 */
import { and, asc, count, eq, gt, ne } from 'drizzle-orm';
import type { Db } from '../db/client';
import { credentials } from '../db/schema';
import { CredentialDecryptionError, encryptWith, MissingKeyError, openSecrets } from './crypto';
import type { Keyring } from './keys';

export interface RotationReport {
  activeKeyId: string;
  rotated: number;
  batches: number;
  /** Credentials that could not be decrypted (damaged, or their key is missing), left as they are. */
  failed: { id: string; keyId: string; reason: string }[];
  /** Key ids still in use by some credential after the run, besides the active one. */
  stillInUse: { keyId: string; credentials: number }[];
}

export async function rotateCredentials(
  db: Db,
  keyring: Keyring,
  options: { batchSize?: number; onBatch?: (rotated: number) => void } = {},
): Promise<RotationReport> {
  const batchSize = options.batchSize ?? 100;
  const active = keyring.active;
  const failed: RotationReport['failed'] = [];
  let rotated = 0;
  let batches = 0;
  // By id, so a credential that cannot be rotated is passed once, not met again in every batch.
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const rows = await tx
        .select()
        .from(credentials)
        .where(and(ne(credentials.keyId, active.id), gt(credentials.id, after)))
        .orderBy(asc(credentials.id))
        .limit(batchSize)
        .for('update', { skipLocked: true });
      for (const row of rows) {
        const identity = { id: row.id, userId: row.userId, type: row.type };
        let plaintext: string;
        try {
          plaintext = JSON.stringify(openSecrets(keyring, identity, row.encryptedData));
        } catch (error) {
          if (!(error instanceof MissingKeyError || error instanceof CredentialDecryptionError)) throw error;
          failed.push({ id: row.id, keyId: row.keyId, reason: error.message });
          continue;
        }
        await tx
          .update(credentials)
          // Not an edit by its owner: updated_at stays what it was.
          .set({
            encryptedData: encryptWith(active, identity, plaintext),
            keyId: active.id,
            updatedAt: row.updatedAt,
          })
          .where(eq(credentials.id, row.id));
        rotated += 1;
      }
      const last = rows.at(-1);
      if (last) after = last.id;
      return rows.length;
    });
    if (count === 0) break;
    batches += 1;
    options.onBatch?.(rotated);
  }
  const stillInUse = await db
    .select({ keyId: credentials.keyId, credentials: count() })
    .from(credentials)
    .where(ne(credentials.keyId, active.id))
    .groupBy(credentials.keyId);
  return { activeKeyId: active.id, rotated, batches, failed, stillInUse };
}
