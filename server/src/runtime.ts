/** Start-up helpers shared by the web process, the worker and the launcher. */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, ConfigError, loadConfig } from './config';
import { CredentialKeysError, developmentKeys, type Keyring, parseCredentialKeys } from './credentials/keys';

/**
 * How the built web and worker processes are started (npm start, the server package's :prod scripts,
 * the Render Blueprint, the benchmark). V8 otherwise lets its young generation grow to 64 MB under
 * load, which took both processes past 200 MB of RSS at 50 concurrent webhooks; capped, they stay
 * near 160 MB at the same CPU per webhook (bench/README.md). A flag of the process, so not settable
 * from code once it runs.
 */
export const NODE_FLAGS = ['--max-semi-space-size=4'] as const;

/** The checkout's root (the folder whose package.json is `automateos`), from src/ or a dist/ bundle alike. */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'automateos') return dir;
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

export function dataDir(config: Config): string {
  return path.resolve(config.AUTOMATEOS_DATA_DIR ?? path.join(repoRoot, '.data'));
}

/** JWT_SECRET from the environment; in development one is generated once and kept in the data folder. */
export function resolveJwtSecret(config: Config): string {
  if (config.JWT_SECRET) return config.JWT_SECRET;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      'JWT_SECRET is required in production; generate one with `openssl rand -base64 48`',
    );
  }
  const dir = dataDir(config);
  const file = path.join(dir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}

/**
 * CREDENTIALS_KEYS, or in development a key generated once into the data folder (said once, with
 * where it is, since losing it loses every stored credential). The launcher hands the result to the
 * processes it starts, so they all use the same keys.
 */
export function credentialKeysText(config: Config, say: (line: string) => void = console.log): string {
  if (config.CREDENTIALS_KEYS) return config.CREDENTIALS_KEYS;
  if (config.NODE_ENV === 'production') {
    throw new ConfigError(
      'CREDENTIALS_KEYS is required in production; generate one with `echo "k1:$(openssl rand -base64 32)"`',
    );
  }
  const { text, file, created } = developmentKeys(dataDir(config));
  if (created) {
    say(
      `Generated a credentials encryption key in ${file} (development only). Back it up with the database: stored credentials cannot be decrypted without it. Set CREDENTIALS_KEYS to use your own.`,
    );
  }
  try {
    parseCredentialKeys(text);
  } catch (error) {
    if (!(error instanceof CredentialKeysError)) throw error;
    throw new ConfigError(`${file} holds no valid key (${error.message}). Restore it from your backup.`);
  }
  return text;
}

/** The keys credentials are encrypted with (see credentialKeysText). */
export function resolveCredentialKeys(config: Config, say?: (line: string) => void): Keyring {
  return parseCredentialKeys(credentialKeysText(config, say));
}

export function requireDatabaseUrl(config: Config): string {
  if (config.DATABASE_URL) return config.DATABASE_URL;
  throw new ConfigError(
    'DATABASE_URL is not set. Run `npm start` for the embedded database, or set DATABASE_URL=postgres://…',
  );
}

/** Loads the configuration, printing a readable message (no stack trace) and exiting when it is invalid. */
export function loadConfigOrExit(): Config {
  try {
    return loadConfig();
  } catch (error) {
    exitWithConfigError(error);
  }
}

export function exitWithConfigError(error: unknown): never {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(78); // EX_CONFIG
  }
  throw error;
}
