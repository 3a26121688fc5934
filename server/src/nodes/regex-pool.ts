/**
 * Where matchesRegex tests run. RE2 is linear in the text, but 64 KiB times a few dozen conditions
 * is still tens of milliseconds each: on the worker's event loop, one tenant's long texts would
 * delay every other tenant's executions. Short texts are tested inline (a few milliseconds at
 * worst); long ones on one thread of their own, in arrival order, so the event loop stays free.
 */
import { Worker } from 'node:worker_threads';
import type { CompiledRegex } from '@automateos/shared';
import type { RegexAnswer, RegexTask } from './regex-thread';

/** Texts up to this length are tested inline: at worst a few milliseconds on RE2. */
export const INLINE_REGEX_TEXT = 4 * 1024;

// The source file under tsx and vitest, the bundled file in dist/.
const threadFile = new URL(
  import.meta.url.endsWith('.ts') ? './regex-thread.ts' : './regex-thread.js',
  import.meta.url,
);

let thread: Worker | undefined;
let nextId = 0;
const waiting = new Map<number, { resolve: (matched: boolean) => void; reject: (error: Error) => void }>();

function start(): Worker {
  const worker = new Worker(threadFile);
  // An idle thread must not keep a stopping process alive.
  worker.unref();
  worker.on('message', (answer: RegexAnswer) => {
    const task = waiting.get(answer.id);
    if (!task) return;
    waiting.delete(answer.id);
    if ('error' in answer) task.reject(new Error(answer.error));
    else task.resolve(answer.matched);
  });
  const fail = (error: Error) => {
    if (thread === worker) thread = undefined;
    for (const task of waiting.values()) task.reject(error);
    waiting.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the regex thread stopped (exit code ${code})`)));
  return worker;
}

/** Tests `text` against an already compiled pattern: inline when short, on the regex thread otherwise. */
export function testRegex(regex: CompiledRegex, text: string): Promise<boolean> {
  if (text.length <= INLINE_REGEX_TEXT) return Promise.resolve(regex.test(text));
  thread ??= start();
  const id = nextId++;
  const task: RegexTask = { id, source: regex.re2.source, flags: regex.re2.flags, text };
  const running = thread;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    running.postMessage(task);
  });
}
