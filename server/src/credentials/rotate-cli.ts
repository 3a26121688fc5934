/**
 * `npm run credentials:rotate`: re-encrypts every stored credential under the active (first) key of
 * CREDENTIALS_KEYS, then says which older keys are no longer needed. Resumable: run it again after
 * an interruption. With the embedded database, stop `npm start` first (like `npm run db:migrate`).
 */
import { createDb, createSql } from '../db/client';
import { withDatabase } from '../db/provision';
import { exitWithConfigError, loadConfigOrExit, resolveCredentialKeys } from '../runtime';
import type { Keyring } from './keys';
import { rotateCredentials } from './rotate';

const config = loadConfigOrExit();
let keyring: Keyring;
try {
  keyring = resolveCredentialKeys(config);
} catch (error) {
  exitWithConfigError(error);
}

const report = await withDatabase(config, async (url) => {
  const sql = createSql(url, { max: 2 });
  try {
    return await rotateCredentials(createDb(sql), keyring, {
      onBatch: (rotated) => console.log(`… ${rotated} re-encrypted`),
    });
  } finally {
    await sql.end({ timeout: 5 });
  }
});

console.log(
  `Re-encrypted ${report.rotated} credential(s) under key "${report.activeKeyId}" in ${report.batches} batch(es).`,
);
for (const { id, reason } of report.failed) console.error(`Credential ${id} was left as it is: ${reason}`);
const older = keyring.ids.filter((id) => id !== report.activeKeyId);
const needed = new Set(report.stillInUse.map(({ keyId }) => keyId));
for (const { keyId, credentials } of report.stillInUse) {
  console.log(
    `Key "${keyId}" still encrypts ${credentials} credential(s): keep it in CREDENTIALS_KEYS${report.failed.length ? '' : ' and run this again (they were being edited)'}.`,
  );
}
const unused = older.filter((id) => !needed.has(id));
if (unused.length > 0) {
  console.log(
    `No credential uses ${unused.map((id) => `"${id}"`).join(', ')} any more: you can remove ${unused.length === 1 ? 'it' : 'them'} from CREDENTIALS_KEYS (keep a copy with the backups that still need ${unused.length === 1 ? 'it' : 'them'}).`,
  );
}
process.exitCode = report.failed.length > 0 ? 1 : 0;
