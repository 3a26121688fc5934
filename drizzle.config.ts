import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './server/src/db/schema.ts',
  out: './drizzle',
  casing: 'snake_case',
  // Only `drizzle-kit migrate/studio` need a connection; `generate` works offline.
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://localhost/automateos' },
});
