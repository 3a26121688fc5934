/**
 * The thread that runs long matchesRegex tests, off the worker's event loop. Plain enough for
 * Node's own type stripping (no path aliases, no enums), so it starts the same under tsx, vitest
 * and the production bundle. Patterns arrive already checked and translated to RE2 syntax.
 */
import { parentPort } from 'node:worker_threads';
import { RE2JS } from 're2js';

export interface RegexTask {
  id: number;
  source: string;
  flags: number;
  text: string;
}

export type RegexAnswer = { id: number; matched: boolean } | { id: number; error: string };

const compiled = new Map<string, RE2JS>();

parentPort?.on('message', ({ id, source, flags, text }: RegexTask) => {
  try {
    const key = `${flags}:${source}`;
    let regex = compiled.get(key);
    if (!regex) {
      if (compiled.size >= 500) compiled.clear();
      regex = RE2JS.compile(source, flags);
      compiled.set(key, regex);
    }
    parentPort?.postMessage({ id, matched: regex.test(text) } satisfies RegexAnswer);
  } catch (error) {
    parentPort?.postMessage({
      id,
      error: error instanceof Error ? error.message : String(error),
    } satisfies RegexAnswer);
  }
});
