/**
 * `npm run db:checksums`: records the sha256 of every migration in drizzle/checksums.json that
 * is not recorded yet (run it after `npm run db:generate`). It never changes a recorded checksum:
 * a migration that has landed is never edited, and the server suite fails when one was.
 */
import { readMigrationChecksums, writeMigrationChecksums } from '../server/src/db/migration-checksums';

const { recorded, added } = writeMigrationChecksums();
const changed = readMigrationChecksums().filter((m) => m.recorded !== undefined && m.recorded !== m.actual);
for (const tag of added) console.log(`recorded ${tag}`);
if (added.length === 0) console.log(`all ${recorded} migrations were recorded already`);
for (const m of changed)
  console.error(
    `${m.tag}: its SQL changed after it was recorded. Restore it and add a new migration instead.`,
  );
process.exitCode = changed.length > 0 ? 1 : 0;
