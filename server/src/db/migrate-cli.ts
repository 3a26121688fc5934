/** `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
import { loadConfigOrExit } from '../runtime';
import { runMigrations } from './migrate';
import { withDatabase } from './provision';

const config = loadConfigOrExit();
await withDatabase(config, async (url) => {
  await runMigrations(url);
  console.log('Migrations applied.');
});
