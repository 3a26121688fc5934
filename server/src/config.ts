import { z } from 'zod';
import { CredentialKeysError, parseCredentialKeys } from './credentials/keys';

const bytes = z
  .string()
  .regex(/^\d+(?:\s*(?:b|kb|kib|mb|mib))?$/i, 'use a byte count like 1048576 or 1mb')
  .transform((value) => {
    const match = /^(\d+)\s*([a-z]*)$/i.exec(value.trim());
    const n = Number(match?.[1]);
    const unit = (match?.[2] ?? '').toLowerCase();
    if (unit.startsWith('k')) return n * 1024;
    if (unit.startsWith('m')) return n * 1024 * 1024;
    return n;
  });

/** Every setting AutomateOS reads from the environment. The README lists the same table. */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z
      .url({ protocol: /^postgres(ql)?$/, error: 'DATABASE_URL must be a postgres:// URL' })
      .optional(),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HOST: z.string().default('0.0.0.0'),
    PUBLIC_URL: z.url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an http(s) URL' }).optional(),
    JWT_SECRET: z
      .string()
      .min(32, 'JWT_SECRET must be at least 32 bytes; generate one with `openssl rand -base64 48`')
      .optional(),
    // `id:base64-32-bytes,…`, the first the active key (credentials/keys.ts); checked here, used by runtime.ts.
    CREDENTIALS_KEYS: z
      .string()
      .superRefine((text, ctx) => {
        try {
          parseCredentialKeys(text);
        } catch (error) {
          if (!(error instanceof CredentialKeysError)) throw error;
          ctx.addIssue({ code: 'custom', message: error.message });
        }
      })
      .optional(),
    // Base URLs of the Notion and Slack APIs, for self-hosted proxies and tests.
    NOTION_API_URL: z
      .url({ protocol: /^https?$/, error: 'NOTION_API_URL must be an http(s) URL' })
      .default('https://api.notion.com'),
    SLACK_API_URL: z
      .url({ protocol: /^https?$/, error: 'SLACK_API_URL must be an http(s) URL' })
      .default('https://slack.com/api/'),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    WORKER_MODE: z.enum(['separate', 'inline']).default('separate'),
    // Hosts without a pre-deploy step (Render's free plan): the web process migrates before it listens.
    MIGRATE_ON_START: z.stringbool().default(false),
    WEBHOOK_MAX_BODY: bytes.default(1024 * 1024),
    EXECUTION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(14),
    SSRF_ALLOWLIST: z.string().default(''),
    // `closed`: only the very first account can be created (so a fresh install can be claimed).
    SIGNUPS: z.enum(['open', 'closed'], { error: 'SIGNUPS must be "open" or "closed"' }).default('open'),
    AUTOMATEOS_DATA_DIR: z.string().optional(),
    // Proxies in front of the web process (1 on Render); decides which address counts as the client's IP.
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
    // Live updates (SSE subscriptions) one web process serves: in all, and for any one account.
    LIVE_MAX_SUBSCRIPTIONS: z.coerce.number().int().min(1).max(100_000).default(1000),
    LIVE_MAX_SUBSCRIPTIONS_PER_USER: z.coerce.number().int().min(1).max(10_000).default(20),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    if (!env.DATABASE_URL)
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message: 'DATABASE_URL is required in production',
      });
    if (!env.JWT_SECRET)
      ctx.addIssue({
        code: 'custom',
        path: ['JWT_SECRET'],
        message: 'JWT_SECRET is required in production; generate one with `openssl rand -base64 48`',
      });
    if (!env.CREDENTIALS_KEYS)
      ctx.addIssue({
        code: 'custom',
        path: ['CREDENTIALS_KEYS'],
        message:
          'CREDENTIALS_KEYS is required in production; generate one with `echo "k1:$(openssl rand -base64 32)"` and back it up with the database',
      });
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Parses the environment once at start-up; a bad value stops the process with a message naming it. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings (e.g. `PORT=` in a .env file) mean "unset".
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
