/** Where `automateos login` keeps the server URL and token: the user's config folder, mode 0600. */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CliError, EXIT } from './errors';

export interface Login {
  url: string;
  token: string;
}

export function configFile(): string {
  const base =
    process.env.XDG_CONFIG_HOME ||
    (process.platform === 'win32' && process.env.APPDATA) ||
    path.join(os.homedir(), '.config');
  return path.join(base, 'automateos', 'config.json');
}

/** `AUTOMATEOS_URL` / `AUTOMATEOS_TOKEN` win over the stored login, each on its own. */
export function currentLogin(): Login {
  const stored = readStored();
  const url = process.env.AUTOMATEOS_URL || stored?.url;
  const token = process.env.AUTOMATEOS_TOKEN || stored?.token;
  if (!url || !token)
    throw new CliError(
      'Not logged in. Run `automateos login` (or set AUTOMATEOS_URL and AUTOMATEOS_TOKEN).',
      EXIT.auth,
    );
  return { url: normaliseUrl(url), token };
}

function readStored(): Partial<Login> | undefined {
  const file = configFile();
  if (!existsSync(file)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { url, token } = parsed as Record<string, unknown>;
    return {
      url: typeof url === 'string' ? url : undefined,
      token: typeof token === 'string' ? token : undefined,
    };
  } catch {
    throw new CliError(`${file} is not valid JSON. Run \`automateos login\` again.`);
  }
}

export function saveLogin(login: Login): string {
  const file = configFile();
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `${JSON.stringify(login, null, 2)}\n`, { mode: 0o600 });
  // An older file keeps its mode on rewrite: make sure nobody else can read the token.
  chmodSync(file, 0o600);
  return file;
}

export function removeLogin(): boolean {
  const file = configFile();
  if (!existsSync(file)) return false;
  rmSync(file);
  return true;
}

export function normaliseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`Not a URL: ${url} (e.g. http://localhost:3000)`, EXIT.usage);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new CliError(`The server URL must start with http:// or https:// (got ${url})`, EXIT.usage);
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}
