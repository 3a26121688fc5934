import os from 'node:os';
import argon2 from 'argon2';
import { ServiceError } from '../services/errors';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most one hash per core at a time, and a bounded queue behind them. argon2 runs on libuv's
 * small thread pool, which also serves crypto and DNS: a login storm must not starve every other
 * request, nor grow memory by 19 MiB per waiting login. Beyond the queue: "busy, retry".
 */
const MAX_RUNNING = Math.max(1, os.availableParallelism());
const MAX_WAITING = 200;
let running = 0;
const waiting: (() => void)[] = [];

async function withHashSlot<T>(work: () => Promise<T>): Promise<T> {
  if (running >= MAX_RUNNING) {
    if (waiting.length >= MAX_WAITING) {
      throw new ServiceError('TOO_MANY_REQUESTS', 'Too many sign-ins at once. Try again in a few seconds.');
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
  running++;
  try {
    return await work();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export async function hashPassword(password: string): Promise<string> {
  const hash = await withHashSlot(() => argon2.hash(password, OPTIONS));
  // node-argon2 writes the parameters alphabetically (m,p,t); the reference encoding, which
  // OWASP and other verifiers expect, is m,t,p. Both parse the same.
  return hash.replace(/\$m=(\d+),p=(\d+),t=(\d+)\$/, '$m=$1,t=$3,p=$2$');
}

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await withHashSlot(() => argon2.verify(hash, password));
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Verifies against a throwaway hash so an unknown email costs as much time as a wrong password. */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-but-same-cost');
  await verifyPassword(await dummyHash, password);
  return false;
}
