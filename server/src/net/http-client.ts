/**
 * Outbound HTTP for steps: one pooled undici dispatcher per worker whose every connection passed
 * the SSRF guard (see guarded-dispatcher.ts), with redirects followed by hand so each hop is checked
 * again, the response body decompressed and capped, one timeout over the whole exchange, and the
 * worker's abort signal honoured. Notion, Slack and email steps use this layer (or its dispatcher),
 * never a client of their own.
 */
import http from 'node:http';
import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { BlockedAddressError, createGuardedAgent, openGuardedSocket } from './guarded-dispatcher';
import { type AddressPolicy, allowlistEntryFor } from './ssrf';

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

export interface OutboundRequest {
  method: string;
  url: string | URL;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Covers the whole exchange: DNS, connect, every redirect hop and the response body. */
  timeoutMs: number;
  maxResponseBytes?: number;
  maxRedirects?: number;
  /** Aborts the request, its redirects and its body: the worker is stopping. */
  signal?: AbortSignal;
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

/** The outbound HTTP layer a worker hands its steps (`ctx.http`). */
export interface OutboundHttp {
  request(options: OutboundRequest): Promise<HttpResponse>;
  /**
   * The guarded, pooled dispatcher itself, for an SDK that takes an undici dispatcher: every
   * connection it opens passes the same SSRF checks. (It follows no redirects of its own.)
   */
  readonly dispatcher: Dispatcher;
  /**
   * A plain TCP connection checked by the same address policy, for what is not HTTP (an SMTP
   * server): resolves once connected; fails with an HttpStepError (BLOCKED_ADDRESS, NETWORK…).
   */
  connect(target: SocketTarget): Promise<Socket>;
  /** Closes the pooled connections; requests still running finish first. */
  close(): Promise<void>;
}

export interface SocketTarget {
  hostname: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Where the detail of a blocked name goes (what it resolved to): the step log does not get it. */
export interface WarningLog {
  warn(details: Record<string, unknown>, message: string): void;
}

export interface OutboundHttpOptions {
  policy: AddressPolicy;
  log?: WarningLog;
}

export function createOutboundHttp({ policy, log }: OutboundHttpOptions): OutboundHttp {
  const agent = createGuardedAgent(policy);
  return {
    dispatcher: agent,
    request: (options) => sendRequest(agent, options, log),
    connect: (target) => connectSocket(policy, target, log),
    close: () => agent.close(),
  };
}

function connectSocket(policy: AddressPolicy, target: SocketTarget, log: WarningLog | undefined) {
  const { signal } = target;
  signal?.throwIfAborted();
  // What the error messages name: the host and port it could not reach.
  const host = isIP(target.hostname) === 6 ? `[${target.hostname}]` : target.hostname;
  const where = new URL(`tcp://${host}:${target.port}`);
  return new Promise<Socket>((resolve, reject) => {
    const onAbort = () => attempt?.destroy(signal?.reason);
    const attempt = openGuardedSocket(
      policy,
      { hostname: target.hostname, port: target.port, timeoutMs: target.timeoutMs },
      (error, socket) => {
        signal?.removeEventListener('abort', onAbort);
        if (socket) return resolve(socket);
        if (signal?.aborted) return reject(signal.reason);
        if (error instanceof BlockedAddressError) return reject(blockedError(error, '', log));
        reject(toStepError(error, where));
      },
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const BODY_HEADERS = [
  'content-type',
  'content-length',
  'content-encoding',
  'content-language',
  'transfer-encoding',
];
/** A redirect's own body is read and dropped up to this size, so its connection can be reused. */
const REDIRECT_BODY_LIMIT = 64 * 1024;

async function sendRequest(
  agent: Dispatcher,
  opts: OutboundRequest,
  log: WarningLog | undefined,
): Promise<HttpResponse> {
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
  opts.signal?.throwIfAborted();

  let method = opts.method.toUpperCase();
  let body = opts.body;
  const ownHeaders = prepareHeaders(opts.headers ?? {});
  let headers = withDefaults(ownHeaders);
  let url = parseTargetUrl(opts.url);
  headers = moveCredentialsToHeader(url, headers);

  const timeout = AbortSignal.timeout(Math.ceil(opts.timeoutMs));
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  const failure = (err: unknown, hop: string) => {
    if (err instanceof BlockedAddressError) return blockedError(err, hop, log);
    if (opts.signal?.aborted) return opts.signal.reason;
    if (!(err instanceof HttpStepError) && signal.aborted) return timeoutError(opts.timeoutMs, url);
    return toStepError(err, url);
  };

  for (let redirects = 0; ; redirects++) {
    const hop = redirects === 0 ? '' : ` (redirect ${redirects} → ${url.href})`;
    let res: Dispatcher.ResponseData;
    try {
      res = await agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers,
        body: body ?? null,
        signal,
      });
    } catch (err) {
      throw failure(err, hop);
    }
    const status = res.statusCode;
    const location = headerValue(res.headers.location);

    if (REDIRECT_STATUSES.has(status) && location !== undefined) {
      await res.body.dump({ limit: REDIRECT_BODY_LIMIT }).catch(() => {});
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
          `Redirect from ${url.href} has an invalid Location "${withoutCredentials(location)}".`,
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
      // Another origin gets none of the headers the step set (an API key in X-Api-Key is as secret
      // as Authorization), only our defaults and, when the body goes along, what describes it.
      if (next.origin !== url.origin) headers = crossOriginHeaders(ownHeaders, body !== undefined);
      headers = moveCredentialsToHeader(next, headers);
      url = next;
      continue;
    }

    const { bytes, truncated } = await readBody(res, maxBytes, signal, url).catch((err: unknown) => {
      throw failure(err, hop);
    });
    const contentType = headerValue(res.headers['content-type']);
    return {
      status,
      statusText: res.statusText ?? '',
      headers: flattenHeaders(res.headers),
      body: decodeBody(bytes, contentType, truncated),
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
      `"${withoutCredentials(String(input))}" is not a valid URL; write a full address such as https://api.example.com/path.`,
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
      `"${withoutCredentials(url.href)}" has no host; write a full address such as https://api.example.com/path.`,
    );
  }
  return url;
}

/**
 * A URL as text with any `user:password@` taken out, for messages: a URL that does not parse may
 * still carry credentials, and the step log must not repeat them.
 */
export function withoutCredentials(text: string): string {
  return text.replace(/^(\s*[a-z][a-z0-9+.-]*:\/\/)[^/?#]*@/i, '$1');
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
 * Reads at most `maxBytes` of (decompressed) body, then closes the connection: a 50 MiB answer or
 * a gzip bomb costs at most `maxBytes` of memory. The shared abort signal cuts a slow body. A body
 * read to its end leaves the connection to the pool.
 */
async function readBody(
  res: Dispatcher.ResponseData,
  maxBytes: number,
  signal: AbortSignal,
  url: URL,
): Promise<{ bytes: Buffer; truncated: boolean }> {
  const encoding = headerValue(res.headers['content-encoding']);
  const decompressor = decompressorFor(encoding);
  const stream: Readable = decompressor ?? res.body;
  let transportFailed = false;
  if (decompressor) {
    res.body.on('error', (err) => {
      transportFailed = true;
      decompressor.destroy(err);
    });
    res.body.pipe(decompressor);
  }
  const onAbort = () => {
    res.body.destroy(signal.reason);
    stream.destroy(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });

  const chunks: Buffer[] = [];
  let size = 0;
  let truncated = false;
  let complete = false;
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
    complete = !truncated;
  } catch (err) {
    if (!signal.aborted && decompressor && !transportFailed) {
      throw new HttpStepError(
        'NETWORK',
        `The response from ${url.origin} could not be decompressed (${encoding}): ${errorMessage(err)}.`,
        { cause: err, retryable: false },
      );
    }
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    // Stopped early: close the connection rather than read the rest.
    if (!complete) {
      res.body.destroy();
      stream.destroy();
    }
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

/**
 * Bytes that are not text in `charset` become U+FFFD, and so do NUL characters: PostgreSQL cannot
 * store them, and a binary answer (an image) would otherwise make the step's output unrecordable.
 */
function decodeText(bytes: Buffer, charset: string): string {
  let text: string;
  try {
    text = new TextDecoder(charset).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
  }
  return text.includes('\0') ? text.replaceAll('\0', '\uFFFD') : text;
}

// ---------------------------------------------------------------------------------------------
// Headers
// ---------------------------------------------------------------------------------------------

/** The step's headers: names lower-cased and validated, framing headers left to us. */
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
  return headers;
}

/** Our defaults, for what the step did not set. */
function withDefaults(headers: Record<string, string>): Record<string, string> {
  return {
    ...headers,
    'user-agent': headers['user-agent'] ?? 'AutomateOS',
    accept: headers.accept ?? '*/*',
    'accept-encoding': headers['accept-encoding'] ?? 'gzip, deflate, br',
  };
}

/** What a hop to another origin sends: our defaults, and the headers describing a body that goes along. */
function crossOriginHeaders(own: Record<string, string>, withBody: boolean): Record<string, string> {
  const kept: Record<string, string> = {};
  if (withBody) {
    for (const name of BODY_HEADERS) {
      const value = own[name];
      if (value !== undefined) kept[name] = value;
    }
  }
  return withDefaults(kept);
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

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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

/**
 * What the step log says about a refused connection. For an address the step wrote, the address and
 * its kind; for a name, only that it is internal: what a private name resolves to maps the network
 * behind this server, so that detail goes to the server's log instead.
 */
function blockedError(
  { host, check }: BlockedAddressError,
  hop: string,
  log: WarningLog | undefined,
): HttpStepError {
  const protect = 'Requests to internal addresses are refused to protect this server.';
  if (check.address === '') {
    return new HttpStepError('BLOCKED_ADDRESS', `Blocked${hop}: ${check.reason}. ${protect}`);
  }
  if (isIP(host) === 0) {
    log?.warn(
      { host, address: check.address, range: check.range, hop: hop || undefined },
      'outbound request blocked: the name resolves to an internal address',
    );
    return new HttpStepError(
      'BLOCKED_ADDRESS',
      `Blocked${hop}: ${host} resolves to an internal address. ${protect} Self-hosters can allow it with SSRF_ALLOWLIST=${host}.`,
    );
  }
  const what =
    host === check.address ? check.reason : `${host} maps to ${check.address}, which is ${check.description}`;
  return new HttpStepError(
    'BLOCKED_ADDRESS',
    `Blocked${hop}: ${what}. ${protect} Self-hosters can allow it with SSRF_ALLOWLIST=${allowlistEntryFor(check.address)}.`,
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

const INVALID_REQUEST_ERRORS = new Set(['UND_ERR_INVALID_ARG', 'UND_ERR_NOT_SUPPORTED']);

function toStepError(err: unknown, url: URL): HttpStepError {
  if (err instanceof HttpStepError) return err;
  const code = errorCode(err);
  const target = url.host;
  if (code !== undefined && INVALID_REQUEST_ERRORS.has(code)) {
    return new HttpStepError('INVALID_REQUEST', `The request could not be built: ${errorMessage(err)}.`, {
      cause: err,
    });
  }
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
    UND_ERR_SOCKET: `${target} closed the connection unexpectedly.`,
    EHOSTUNREACH: `${target} is unreachable from this server.`,
    ENETUNREACH: `The network of ${target} is unreachable from this server.`,
    ETIMEDOUT: `Connecting to ${target} timed out.`,
    UND_ERR_CONNECT_TIMEOUT: `Connecting to ${target} timed out.`,
  };
  const message =
    (code !== undefined ? messages[code] : undefined) ??
    `Network error talking to ${target}: ${errorMessage(err)}${code ? ` (${code})` : ''}.`;
  return new HttpStepError('NETWORK', message, { cause: err });
}

/** The error's code, or that of its cause: undici wraps a socket's own error (ECONNRESET…) in its own. */
function errorCode(err: unknown): string | undefined {
  const own = err instanceof Error && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
  if (own === 'UND_ERR_SOCKET' && err instanceof Error) return errorCode(err.cause) ?? own;
  return own;
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
