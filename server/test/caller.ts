import { tokenKeys } from '../src/auth/tokens';
import { type Clock, systemClock } from '../src/clock';
import { loadConfig } from '../src/config';
import { parseCredentialKeys } from '../src/credentials/keys';
import type { Db } from '../src/db/client';
import { createOutboundHttp } from '../src/net/http-client';
import { createAddressPolicy } from '../src/net/ssrf';
import type { ExecutionQueue } from '../src/services/executions';
import { createCaller } from '../src/trpc/root';
import { type AppDeps, createContext, type SessionChannel } from '../src/trpc/trpc';
import { liveFor, queueFor } from './db';

export const TEST_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
/** A fixed key for the tests' credentials (the spawned processes get the same one). */
export const TEST_CREDENTIALS_KEYS = 'test1:dGVzdC1jcmVkZW50aWFscy1rZXktMzItYnl0ZXMhISE=';
export const testKeyring = parseCredentialKeys(TEST_CREDENTIALS_KEYS);

export function testDeps(db: Db, env: Record<string, string> = {}, clock: Clock = systemClock): AppDeps {
  const config = loadConfig({ NODE_ENV: 'test', ...env });
  return {
    db,
    config,
    keys: tokenKeys(TEST_SECRET),
    publicUrl: 'http://automateos.test',
    queue: lazyQueue(db),
    clock,
    live: liveFor(db),
    keyring: testKeyring,
    http: createOutboundHttp({ policy: createAddressPolicy(config.SSRF_ALLOWLIST) }),
  };
}

/** A clock that stands still until the test moves it. */
export class TestClock implements Clock {
  constructor(private time: Date) {}
  now(): Date {
    return new Date(this.time);
  }
  set(time: Date | string): void {
    this.time = new Date(time);
  }
  advance(ms: number): void {
    this.time = new Date(this.time.getTime() + ms);
  }
}

/** The real pg-boss queue of the test database, started on first use. */
function lazyQueue(db: Db): ExecutionQueue {
  return {
    enqueue: async (tx, executionId) => (await queueFor(db)).enqueue(tx, executionId),
    enqueueMany: async (tx, executionIds) => (await queueFor(db)).enqueueMany(tx, executionIds),
  };
}

/** A browser stand-in: keeps the session token the API sets, like a cookie jar would. */
export class TestSession implements SessionChannel {
  token: string | undefined;
  /** An API token sent as `Authorization: Bearer`; the session token is then not used. */
  bearer: string | undefined;
  constructor(readonly ip = '203.0.113.7') {}
  setToken(token: string) {
    this.token = token;
  }
  clearToken() {
    this.token = undefined;
  }
  /** A client that calls with `Authorization: Bearer <token>` from this session's address. */
  static withToken(token: string, ip?: string): TestSession {
    const session = new TestSession(ip);
    session.bearer = token;
    return session;
  }
  /**
   * A router caller whose context is rebuilt from the current token on every call; `signal` ends its
   * subscriptions as a closed connection would.
   */
  caller(deps: AppDeps, options: { signal?: AbortSignal } = {}) {
    return createCaller(() => createContext(deps, this), options);
  }
}
