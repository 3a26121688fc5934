import {
  type CredentialValue,
  type HttpInput,
  httpStepType,
  isRecord,
  isSecretLookingName,
} from '@automateos/shared';
import { REDACTED } from '../credentials/redact';
import { requestHeaders } from '../credentials/registry';
import {
  encodeRequestBody,
  type HttpResponse,
  HttpStepError,
  isRetryableStatus,
  retryDelayMs,
  withoutCredentials,
} from '../net/http-client';
import { defineNode, type StepContext, StepFailure } from './types';

function buildUrl(input: HttpInput): string {
  const url = new URL(input.url);
  for (const [key, value] of Object.entries(input.query)) url.searchParams.append(key, value);
  return url.toString();
}

function hasHeader(headers: Record<string, string>, name: string) {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts; leaves no listener behind. */
export const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

const outputOf = (response: HttpResponse) => ({
  status: response.status,
  headers: response.headers,
  body: response.body,
  durationMs: response.durationMs,
  ...(response.truncated ? { truncated: true } : {}),
});

/** The step's headers, with the credential's in place of any the step typed under the same names. */
function headersWith(input: HttpInput, credential: CredentialValue | undefined): Record<string, string> {
  if (!credential) return { ...input.headers };
  const auth = requestHeaders(credential);
  const names = new Set(Object.keys(auth).map((name) => name.toLowerCase()));
  const typed = Object.entries(input.headers).filter(([name]) => !names.has(name.toLowerCase()));
  return { ...Object.fromEntries(typed), ...auth };
}

async function attempt(input: HttpInput, ctx: StepContext): Promise<HttpResponse> {
  let url: string;
  try {
    url = buildUrl(input);
  } catch {
    throw new HttpStepError('INVALID_URL', `"${withoutCredentials(input.url)}" is not a valid URL`);
  }
  const { body, contentType } = encodeRequestBody(input.body);
  const headers = headersWith(input, ctx.credential);
  if (contentType && !hasHeader(headers, 'content-type')) headers['content-type'] = contentType;
  return ctx.http.request({
    method: input.method,
    url,
    headers,
    ...(body !== undefined ? { body } : {}),
    timeoutMs: input.timeoutMs,
    signal: ctx.signal,
  });
}

/** Header and query values whose names say they are secrets (`Authorization`, `X-Api-Key`, `*token*`…). */
function secretLookingValues(record: unknown): string[] {
  if (!isRecord(record)) return [];
  return Object.entries(record).flatMap(([name, value]) =>
    isSecretLookingName(name) && typeof value === 'string' ? [value] : [],
  );
}

function masked(record: unknown): unknown {
  if (!isRecord(record)) return record;
  return Object.fromEntries(
    Object.entries(record).map(([name, value]) => [name, isSecretLookingName(name) ? REDACTED : value]),
  );
}

/** A password (or a user) written into the URL: `https://user:secret@host`. */
function urlCredentials(url: unknown): string[] {
  if (typeof url !== 'string' || !URL.canParse(url)) return [];
  const { username, password } = new URL(url);
  const decoded = (part: string) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part; // a stray % is kept as written
    }
  };
  return [username, password, `${username}:${password}`].map(decoded).filter((part) => part !== ':');
}

export const httpNode = defineNode(httpStepType, {
  /** The log names the credential, never its secrets, and hides the values of hand-typed secret headers. */
  loggedInput(input, credential) {
    if (!isRecord(input)) return input;
    return {
      ...input,
      headers: masked(input.headers),
      query: masked(input.query),
      ...(credential ? { auth: { credential: credential.name } } : {}),
    };
  },

  secrets: (input) =>
    isRecord(input)
      ? [
          ...secretLookingValues(input.headers),
          ...secretLookingValues(input.query),
          ...urlCredentials(input.url),
        ]
      : [],

  /** Sends the request; network errors, timeouts, 5xx and 429 are retried per the step's policy. */
  async run(input, ctx) {
    const maxAttempts = 1 + input.retry.attempts;
    for (let n = 1; ; n++) {
      let response: HttpResponse | undefined;
      let failure: StepFailure;
      try {
        response = await attempt(input, ctx);
        const bad = response.status >= 400;
        if (!bad || (!input.failOnHttpError && !isRetryableStatus(response.status))) {
          return { kind: 'continue', output: outputOf(response), attempts: n };
        }
        failure = new StepFailure(
          `${input.method} ${response.url} answered ${response.status} ${response.statusText}`.trim(),
          'HTTP_STATUS',
          n,
          outputOf(response),
        );
        if (!isRetryableStatus(response.status) || n >= maxAttempts) {
          if (!input.failOnHttpError) return { kind: 'continue', output: outputOf(response), attempts: n };
          throw failure;
        }
      } catch (error) {
        if (error instanceof StepFailure) throw error;
        if (!(error instanceof HttpStepError)) throw error;
        failure = new StepFailure(error.message, error.code, n);
        if (!error.retryable || n >= maxAttempts) throw failure;
      }
      const delay = retryDelayMs({
        attempt: n,
        backoff: input.retry.backoff,
        delayMs: input.retry.delayMs,
        retryAfter: response?.headers['retry-after'] ?? null,
      });
      await sleep(delay, ctx.signal);
    }
  },
});
