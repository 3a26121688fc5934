/** Reading what users type: secrets without echo, or whatever stdin carries in a script. */
import { readFileSync } from 'node:fs';
import readline from 'node:readline';
import { Writable } from 'node:stream';
import type { JsonValue } from '@automateos/shared';
import { CliError, EXIT } from './errors';

export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString('utf8');
}

/** Asks on the terminal without showing what is typed (stderr, so stdout stays clean for --json). */
export function askSecret(question: string): Promise<string> {
  if (!process.stdin.isTTY)
    throw new CliError('No terminal to ask on: pipe the value to stdin instead.', EXIT.usage);
  process.stderr.write(question);
  // readline echoes each key press to its output: give it one that swallows them.
  const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
  return new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: process.stdin, output: silent, terminal: true });
    rl.question('', (answer) => {
      process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new CliError('Cancelled.', EXIT.failed));
    });
  });
}

/** `--data '{"a":1}'`, `--data @file.json` or `--data -` (stdin): the JSON a run starts with. */
export async function readData(data: string | undefined): Promise<JsonValue> {
  if (data === undefined) return {};
  const text = data === '-' ? await readStdin() : data.startsWith('@') ? readFileOrFail(data.slice(1)) : data;
  return parseJson(text, '--data');
}

/** `text` as JSON, or a usage error naming `what` was not JSON. */
export function parseJson(text: string, what: string): JsonValue {
  try {
    const value: JsonValue = JSON.parse(text);
    return value;
  } catch (error) {
    throw new CliError(
      `${what} is not valid JSON: ${error instanceof Error ? error.message : error}`,
      EXIT.usage,
    );
  }
}

export function readFileOrFail(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`Cannot read ${file}: ${error instanceof Error ? error.message : error}`, EXIT.usage);
  }
}
