import os from 'node:os';
import argon2 from 'argon2';
import { ServiceError } from '../services/errors';

// OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
const OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/**
 * At most one hash per core at a time, and a bounded queue behind them. argon2 runs on libuv's
 * small thread pool, which also serves crypto and DNS: a login storm must not starve every other
 * request, nor grow memory by 19 MiB per waiting login. Beyond the queue: "busy, retry". One client
 * (an address, or an IPv6 /64) may hold only a few places, so it cannot fill the queue for everyone.
 */
const MAX_RUNNING = Math.max(1, os.availableParallelism());
const MAX_WAITING = 200;
export const MAX_HASHES_PER_CLIENT = 4;
let running = 0;
const waiting: (() => void)[] = [];
const heldByClient = new Map<string, number>();

async function withHashSlot<T>(client: string | undefined, work: () => Promise<T>): Promise<T> {
  const held = client === undefined ? 0 : (heldByClient.get(client) ?? 0);
  if (held >= MAX_HASHES_PER_CLIENT) {
    throw new ServiceError(
      'TOO_MANY_REQUESTS',
      'Too many sign-ins at once from your address. Try again in a few seconds.',
    );
  }
  if (running >= MAX_RUNNING && waiting.length >= MAX_WAITING) {
    throw new ServiceError('TOO_MANY_REQUESTS', 'Too many sign-ins at once. Try again in a few seconds.');
  }
  if (client !== undefined) heldByClient.set(client, held + 1);
  try {
    if (running >= MAX_RUNNING) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      running--;
      waiting.shift()?.();
    }
  } finally {
    if (client !== undefined) {
      const left = (heldByClient.get(client) ?? 1) - 1;
      if (left > 0) heldByClient.set(client, left);
      else heldByClient.delete(client);
    }
  }
}

/** `client` (see clientKey) bounds how many hashes one client may have running or waiting. */
export async function hashPassword(password: string, client?: string): Promise<string> {
  const hash = await withHashSlot(client, () => argon2.hash(password, OPTIONS));
  // node-argon2 writes the parameters alphabetically (m,p,t); the reference encoding, which
  // OWASP and other verifiers expect, is m,t,p. Both parse the same.
  return hash.replace(/\$m=(\d+),p=(\d+),t=(\d+)\$/, '$m=$1,t=$3,p=$2$');
}

export async function verifyPassword(hash: string, password: string, client?: string): Promise<boolean> {
  try {
    return await withHashSlot(client, () => argon2.verify(hash, password));
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/** Verifies against a throwaway hash so an unknown email costs as much time as a wrong password. */
export async function verifyAgainstDummy(password: string, client?: string): Promise<false> {
  dummyHash ??= hashPassword('not-a-real-password-but-same-cost');
  await verifyPassword(await dummyHash, password, client);
  return false;
}
