/**
 * Outbound HTTP for the HTTP Request step, with the SSRF guard built into the connection itself.
 *
 * Why node:http and not fetch: the address check has to happen on the address that is actually
 * connected to, not on a DNS answer obtained earlier (DNS rebinding). Every hop therefore
 *   1. parses the URL with WHATWG URL (which normalises 2130706433, 0x7f000001, 127.1 … to
 *      dotted form) and checks an IP-literal host before connecting — Node skips `lookup` for those;
 *   2. resolves names through a guarded `lookup` that fails if ANY resolved address is blocked;
 *   3. re-checks `socket.remoteAddress` on connect, before a byte of the request is written.
 * Redirects are followed by hand so each hop goes through the same three checks.
 */
import dns from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { type AddressPolicy, allowlistEntryFor, normalizeHost } from './ssrf';

export const DEFAULT_MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;
/** Upper bound for any single retry wait, including a server's Retry-After. */
export const MAX_RETRY_DELAY_MS = 60_000;

export type HttpStepErrorCode =
  | 'BLOCKED_ADDRESS'
  | 'TIMEOUT'
  | 'NETWORK'
  | 'TOO_MANY_REDIRECTS'
  | 'INVALID_URL'
  | 'UNSUPPORTED_SCHEME'
  /** Method, header or option the request cannot be sent with (a configuration error). */
  | 'INVALID_REQUEST';

const RETRYABLE_BY_DEFAULT: Record<HttpStepErrorCode, boolean> = {
  BLOCKED_ADDRESS: false,
  TIMEOUT: true,
  NETWORK: true,
  TOO_MANY_REDIRECTS: false,
  INVALID_URL: false,
  UNSUPPORTED_SCHEME: false,
  INVALID_REQUEST: false,
};

export class HttpStepError extends Error {
  override readonly name = 'HttpStepError';
  readonly code: HttpStepErrorCode;
  /** Whether running the step again may succeed (the step's retry policy decides whether it does). */
  readonly retryable: boolean;

  constructor(code: HttpStepErrorCode, message: string, options?: { cause?: unknown; retryable?: boolean }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options?.retryable ?? RETRYABLE_BY_DEFAULT[code];
  }

  /** The shape recorded in execution_steps.error. */
  toJSON(): { name: string; code: HttpStepErrorCode; message: string; retryable: boolean } {
    return { name: this.name, code: this.code, message: this.message, retryable: this.retryable };
  }
}

export interface SendRequestOptions {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Covers the whole exchange: DNS, connect, every redirect hop and the response body. */
  timeoutMs: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
  policy: AddressPolicy;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  /** Parsed JSON when the response says JSON (and parses), otherwise text. */
  body: unknown;
  /** True when the body was cut at maxResponseBytes; `body` then holds the first part, as text. */
  truncated: boolean;
  /** Body bytes kept (after decompression). */
  bytes: number;
  durationMs: number;
  /** The URL that produced this response, after redirects, without credentials. */
  url: string;
  /** Number of redirects followed. */
  redirects: number;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Credentials that must not follow a redirect to another origin (as in the fetch standard). */
const CROSS_ORIGIN_STRIPPED = ['authorization', 'cookie', 'proxy-authorization'];
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'transfer-encoding',
];

export async function sendRequest(opts: SendRequestOptions): Promise<HttpResponse> {
  const started = performance.now();
  const maxBytes = opts.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  if (!Number.isFinite(opts.timeoutMs) || opts.timeoutMs <= 0) {
    throw new HttpStepError('INVALID_REQUEST', `timeoutMs must be a positive number of milliseconds.`);
  }
  if (!TOKEN.test(opts.method)) {
    throw new HttpStepError(
      'INVALID_REQUEST',
      `"${opts.method}" is not a valid HTTP method; use GET, POST, …`,
    );
  }

  let method = opts.method.toUpperCase();
  let body = opts.body;
  let headers = prepareHeaders(opts.headers ?? {});
  let url = parseTargetUrl(opts.url);
  headers = moveCredentialsToHeader(url, headers);

  const signal = AbortSignal.timeout(Math.ceil(opts.timeoutMs));

  for (let redirects = 0; ; redirects++) {
    const hop = redirects === 0 ? '' : ` (redirect ${redirects} → ${url.href})`;
    const res = await exchange({ url, method, headers, body, policy: opts.policy, signal, hop, opts });
    const status = res.statusCode ?? 0;
    const location = res.headers.location;

    if (REDIRECT_STATUSES.has(status) && location !== undefined) {
      res.destroy();
      if (redirects >= maxRedirects) {
        throw new HttpStepError(
          'TOO_MANY_REDIRECTS',
          `Stopped after ${maxRedirects} redirects (last one from ${url.href}). Point the step at the final URL, or check for a redirect loop.`,
        );
      }
      let next: URL;
      try {
        next = parseTargetUrl(new URL(location, url));
      } catch (err) {
        if (err instanceof HttpStepError) {
          throw new HttpStepError(err.code, `Redirect from ${url.href} refused: ${err.message}`, {
            cause: err,
          });
        }
        throw new HttpStepError(
          'INVALID_URL',
          `Redirect from ${url.href} has an invalid Location "${location}".`,
        );
      }
      // 303 turns anything but HEAD into GET; 301/302 turn POST into GET (what browsers, curl and
      // follow-redirects do); 307/308 keep the method and the body.
      if (
        (status === 303 && method !== 'HEAD') ||
        ((status === 301 || status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        headers = withoutKeys(headers, BODY_HEADERS);
      }
      if (next.origin !== url.origin) headers = withoutKeys(headers, CROSS_ORIGIN_STRIPPED);
      headers = moveCredentialsToHeader(next, headers);
      url = next;
      continue;
    }

    const { bytes, truncated } = await readBody(res, maxBytes, signal, opts.timeoutMs, url);
    return {
      status,
      statusText: res.statusMessage ?? '',
      headers: flattenHeaders(res.headers),
      body: decodeBody(bytes, res.headers['content-type'], truncated),
      truncated,
      bytes: bytes.length,
      durationMs: Math.round(performance.now() - started),
      url: url.href,
      redirects,
    };
  }
}

/** Parses and validates a target URL; only http: and https: are allowed. */
export function parseTargetUrl(input: string | URL): URL {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new HttpStepError(
      'INVALID_URL',
      `"${String(input)}" is not a valid URL; write a full address such as https://api.example.com/path.`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HttpStepError(
      'UNSUPPORTED_SCHEME',
      `The ${url.protocol} scheme is not supported; the HTTP Request step only calls http:// and https:// URLs.`,
    );
  }
  if (url.hostname === '') {
    throw new HttpStepError(
      'INVALID_URL',
      `"${url.href}" has no host; write a full address such as https://api.example.com/path.`,
    );
  }
  return url;
}

// ---------------------------------------------------------------------------------------------
// One request/response exchange
// ---------------------------------------------------------------------------------------------

interface ExchangeInput {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  policy: AddressPolicy;
  signal: AbortSignal;
  /** Text that places this hop in a redirect chain, for error messages. */
  hop: string;
  opts: SendRequestOptions;
}

function exchange({
  url,
  method,
  headers,
  body,
  policy,
  signal,
  hop,
  opts,
}: ExchangeInput): Promise<IncomingMessage> {
  const host = normalizeHost(url.hostname);
  const literal = isIP(host) !== 0;
  if (literal) {
    const check = policy.checkAddress(host);
    if (!check.allowed) throw blockedError(check, host, hop);
  }
  // A hostname on the allow-list is trusted whatever it resolves to; everything else is checked.
  const trustedName = !literal && policy.isHostnameAllowed(host);

  if (signal.aborted) return Promise.reject(timeoutError(opts.timeoutMs, url));

  const requestHeaders: Record<string, string> = { ...headers };
  if (body !== undefined) requestHeaders['content-length'] = String(Buffer.byteLength(body));

  return new Promise<IncomingMessage>((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = (url.protocol === 'https:' ? https : http).request(url, {
        method,
        headers: requestHeaders,
        // No pooling: every request opens a fresh socket, so every socket passes the connect check.
        agent: false,
        signal,
        ...(trustedName ? {} : { lookup: guardedLookup(policy, hop) }),
      });
    } catch (err) {
      reject(
        new HttpStepError('INVALID_REQUEST', `The request could not be built: ${errorMessage(err)}.`, {
          cause: err,
        }),
      );
      return;
    }

    req.on('socket', (socket: Socket) => {
      if (trustedName) return;
      const verify = () => {
        const remote = socket.remoteAddress;
        const check = remote === undefined ? null : policy.checkAddress(remote);
        if (check === null || !check.allowed) {
          const error =
            check === null
              ? new HttpStepError(
                  'BLOCKED_ADDRESS',
                  `Blocked: could not verify the address connected for ${url.host}.`,
                )
              : blockedError(check, host, hop);
          socket.destroy(error);
        }
      };
      // Prepended so it runs before http writes the buffered request on 'connect'.
      if (socket.connecting) socket.prependOnceListener('connect', verify);
      else verify();
    });

    req.on('response', resolve);
    req.on('error', (err) => reject(toStepError(err, signal, opts.timeoutMs, url)));
    req.end(body);
  });
}

function guardedLookup(policy: AddressPolicy, hop: string): LookupFunction {
  return (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) {
        callback(err, '');
        return;
      }
      const first = addresses[0];
      if (first === undefined) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${hostname}`);
        notFound.code = 'ENOTFOUND';
        callback(notFound, '');
        return;
      }
      // Refuse if ANY answer is internal: otherwise a name with one public and one private record
      // could land on the private one when the connection falls back to the next address.
      for (const { address } of addresses) {
        const check = policy.checkAddress(address);
        if (!check.allowed) {
          callback(blockedError(check, normalizeHost(hostname), hop), '');
          return;
        }
      }
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    });
  };
}

// ---------------------------------------------------------------------------------------------
// Response body
// ---------------------------------------------------------------------------------------------

function decompressorFor(
  encoding: string | undefined,
): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | null {
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      return null;
  }
}

/**
 * Reads at most `maxBytes` of (decompressed) body, then destroys the socket: a 50 MiB answer or a
 * gzip bomb costs at most `maxBytes` of memory. The shared abort signal cuts a slow body.
 */
async function readBody(
  res: IncomingMessage,
  maxBytes: number,
  signal: AbortSignal,
  timeoutMs: number,
  url: URL,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const decompressor = decompressorFor(res.headers['content-encoding']);
  const stream: Readable = decompressor ?? res;
  let transportFailed = false;
  if (decompressor) {
    res.on('error', (err) => {
      transportFailed = true;
      decompressor.destroy(err);
    });
    res.pipe(decompressor);
  }
  const onAbort = () => {
    const error = timeoutError(timeoutMs, url);
    res.destroy(error);
    stream.destroy(error);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  try {
    if (signal.aborted) onAbort();
    for await (const chunk of stream) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
      if (size + buf.length > maxBytes) {
        chunks.push(buf.subarray(0, maxBytes - size));
        size = maxBytes;
        truncated = true;
        break;
      }
      chunks.push(buf);
      size += buf.length;
    }
  } catch (err) {
    if (err instanceof HttpStepError) throw err;
    if (signal.aborted) throw timeoutError(timeoutMs, url);
    if (decompressor && !transportFailed) {
      throw new HttpStepError(
        'NETWORK',
        `The response from ${url.origin} could not be decompressed (${res.headers['content-encoding']}): ${errorMessage(err)}.`,
        { cause: err, retryable: false },
      );
    }
    throw toStepError(err, signal, timeoutMs, url);
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Closes the socket when we stopped early; a no-op after a complete read.
    res.destroy();
    stream.destroy();
  }
  return { bytes: Buffer.concat(chunks, size), truncated };
}

function decodeBody(bytes: Buffer, contentType: string | undefined, truncated: boolean): unknown {
  const text = decodeText(bytes, charsetOf(contentType));
  if (!truncated && isJsonContentType(contentType) && text.trim() !== '') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // A server that says JSON but sends something else: keep the text so the log shows it.
    }
  }
  return text;
}

function isJsonContentType(contentType: string | undefined): boolean {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? '';
  return mediaType === 'application/json' || mediaType === 'text/json' || mediaType.endsWith('+json');
}

function charsetOf(contentType: string | undefined): string {
  const match = contentType?.match(/;\s*charset\s*=\s*"?([^";\s]+)"?/i);
  return match?.[1] ?? 'utf-8';
}

function decodeText(bytes: Buffer, charset: string): string {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/** Lower-cases names, validates them and adds defaults the user did not set. */
function prepareHeaders(input: Record<string, string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    try {
      http.validateHeaderName(name);
      http.validateHeaderValue(name, value);
    } catch (err) {
      throw new HttpStepError('INVALID_REQUEST', `Header "${name}" cannot be sent: ${errorMessage(err)}.`, {
        cause: err,
      });
    }
    headers[name.toLowerCase()] = value;
  }
  // Computed from the body we actually send; a user-supplied one could only be wrong.
  delete headers['content-length'];
  delete headers['transfer-encoding'];
  headers['user-agent'] ??= 'AutomateOS';
  headers.accept ??= '*/*';
  headers['accept-encoding'] ??= 'gzip, deflate, br';
  return headers;
}

/**
 * Credentials in the URL (https://user:pass@host) become a Basic Authorization header — unless the
 * step sets one explicitly — and are removed from the URL so they never reach logs or `url`.
 */
function moveCredentialsToHeader(url: URL, headers: Record<string, string>): Record<string, string> {
  if (url.username === '' && url.password === '') return headers;
  const user = safeDecode(url.username);
  const pass = safeDecode(url.password);
  url.username = '';
  url.password = '';
  if (headers.authorization !== undefined) return headers;
  return { ...headers, authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function withoutKeys(headers: Record<string, string>, keys: string[]): Record<string, string> {
  const copy = { ...headers };
  for (const key of keys) delete copy[key];
  return copy;
}

function flattenHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

function blockedError(
  check: { address: string; reason: string; description: string },
  host: string,
  hop: string,
): HttpStepError {
  const byName = isIP(host) === 0;
  const what =
    host === check.address
      ? check.reason
      : `${host} ${byName ? 'resolves to' : 'maps to'} ${check.address}, which is ${check.description}`;
  const allow = byName
    ? `${host} (or ${allowlistEntryFor(check.address)})`
    : allowlistEntryFor(check.address);
  return new HttpStepError(
    'BLOCKED_ADDRESS',
    `Blocked${hop}: ${what}. Requests to internal addresses are refused to protect this server. ` +
      `Self-hosters can allow it with SSRF_ALLOWLIST=${allow}.`,
  );
}

function timeoutError(timeoutMs: number, url: URL): HttpStepError {
  const within = timeoutMs > 0 ? ` within ${timeoutMs} ms` : ' within the step timeout';
  return new HttpStepError(
    'TIMEOUT',
    `No complete response from ${url.origin}${within}. Raise the step's timeoutMs or check that the service is responding.`,
  );
}

const CERTIFICATE_ERRORS = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function toStepError(err: unknown, signal: AbortSignal, timeoutMs: number, url: URL): HttpStepError {
  if (err instanceof HttpStepError) return err;
  if (signal.aborted) return timeoutError(timeoutMs, url);
  const code = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  const target = url.host;
  if (code !== undefined && CERTIFICATE_ERRORS.has(code)) {
    return new HttpStepError(
      'NETWORK',
      `The TLS certificate of ${target} is not trusted (${code}). Fix the certificate on that server; certificate checks are never skipped.`,
      { cause: err, retryable: false },
    );
  }
  const messages: Record<string, string> = {
    ENOTFOUND: `Could not resolve ${url.hostname}. Check the host name in the URL.`,
    EAI_AGAIN: `DNS lookup for ${url.hostname} failed temporarily.`,
    ECONNREFUSED: `${target} refused the connection. Check the port and that the service is running.`,
    ECONNRESET: `${target} closed the connection unexpectedly.`,
    EHOSTUNREACH: `${target} is unreachable from this server.`,
    ENETUNREACH: `The network of ${target} is unreachable from this server.`,
    ETIMEDOUT: `Connecting to ${target} timed out.`,
  };
  const message =
    (code !== undefined ? messages[code] : undefined) ??
    `Network error talking to ${target}: ${errorMessage(err)}${code ? ` (${code})` : ''}.`;
  return new HttpStepError('NETWORK', message, { cause: err });
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// ---------------------------------------------------------------------------------------------
// Retry helpers (the worker applies the step's retry policy; these only do the arithmetic)
// ---------------------------------------------------------------------------------------------

/** 408 Request Timeout, 429 Too Many Requests and every 5xx are worth another attempt. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 429 || (status >= 500 && status <= 599);
}

/**
 * Milliseconds to wait for a Retry-After value: delta-seconds ("120") or an HTTP date. Returns
 * null when absent or unreadable; never negative; capped at MAX_RETRY_DELAY_MS so a server cannot
 * park a worker for hours.
 */
export function parseRetryAfter(value: string | null | undefined, now: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Math.min(Number(text) * 1000, MAX_RETRY_DELAY_MS);
  // All three HTTP-date forms start with a day name; requiring it keeps Date.parse's leniency
  // ("1", "soon 5") from turning garbage into a date.
  if (!/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,? /i.test(text)) return null;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(at - now, 0), MAX_RETRY_DELAY_MS);
}

export interface RetryDelayInput {
  /** 1 for the first retry, 2 for the second … */
  attempt: number;
  backoff: 'fixed' | 'exponential';
  delayMs: number;
  /** The Retry-After header of the failed response, if any. */
  retryAfter?: string | null;
  /** Clock for HTTP-date Retry-After values; defaults to Date.now(). */
  now?: number;
}

/**
 * Delay before the next attempt. Deterministic (no jitter), so a step log can say exactly when the
 * retry will run. fixed: delayMs; exponential: delayMs · 2^(attempt−1), growth capped at
 * MAX_RETRY_DELAY_MS (a configured delayMs above the cap is kept as is). A Retry-After from the
 * server is honoured as a minimum: the result is the larger of the two.
 */
export function retryDelayMs({ attempt, backoff, delayMs, retryAfter, now }: RetryDelayInput): number {
  const base = Math.max(0, delayMs);
  const n = Math.max(1, Math.floor(attempt));
  const computed =
    backoff === 'exponential' ? Math.min(base * 2 ** (n - 1), Math.max(base, MAX_RETRY_DELAY_MS)) : base;
  const serverAsked = parseRetryAfter(retryAfter, now) ?? 0;
  return Math.round(Math.max(computed, serverAsked));
}

// ---------------------------------------------------------------------------------------------
// Request bodies as the step config describes them
// ---------------------------------------------------------------------------------------------

export type RequestBodySpec =
  | { type: 'none' }
  | { type: 'json'; value: unknown }
  | { type: 'text'; value: string }
  | { type: 'form'; value: Record<string, unknown> };

/** Serialises a step's body config; `contentType` is used unless the step sets its own header. */
export function encodeRequestBody(spec: RequestBodySpec): { body?: string; contentType?: string } {
  switch (spec.type) {
    case 'none':
      return {};
    case 'json':
      return { body: JSON.stringify(spec.value ?? null), contentType: 'application/json' };
    case 'text':
      return { body: spec.value, contentType: 'text/plain; charset=utf-8' };
    case 'form': {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(spec.value)) {
        if (value === undefined || value === null) continue;
        params.append(key, typeof value === 'string' ? value : JSON.stringify(value));
      }
      return { body: params.toString(), contentType: 'application/x-www-form-urlencoded' };
    }
  }
}
