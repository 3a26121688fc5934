import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutboundHttp,
  encodeRequestBody,
  HttpStepError,
  isRetryableStatus,
  MAX_RETRY_DELAY_MS,
  type OutboundHttp,
  type OutboundRequest,
  parseRetryAfter,
  retryDelayMs,
} from './http-client';
import { type AddressPolicy, createAddressPolicy } from './ssrf';

// One outbound layer (one connection pool) per address policy, as a worker has.
const layers = new Map<AddressPolicy, OutboundHttp>();
function sendRequest({ policy, ...request }: OutboundRequest & { policy: AddressPolicy }) {
  let layer = layers.get(policy);
  if (!layer) {
    layer = createOutboundHttp({ policy });
    layers.set(policy, layer);
  }
  return layer.request(request);
}
afterAll(async () => {
  await Promise.all([...layers.values()].map((layer) => layer.close()));
});

const MiB = 1024 * 1024;

interface TestServer {
  port: number;
  origin: string;
  /** TCP connections accepted. */
  connections: number;
  /** HTTP requests parsed. */
  requests: number;
  close(): Promise<void>;
}

// A self-signed certificate for localhost and 127.0.0.1, valid until 2126, made for these tests.
const tlsDir = path.join(import.meta.dirname, '../../test/tls');
const tls = {
  cert: readFileSync(path.join(tlsDir, 'localhost.crt')),
  key: readFileSync(path.join(tlsDir, 'localhost.key')),
};

async function startServer(
  handler: http.RequestListener,
  host = '127.0.0.1',
  port = 0,
  secure = false,
): Promise<TestServer> {
  const server = secure ? https.createServer(tls, handler) : http.createServer(handler);
  const sockets = new Set<Socket>();
  const state: TestServer = {
    port: 0,
    origin: '',
    connections: 0,
    requests: 0,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  server.on('connection', (socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('request', () => {
    state.requests++;
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  state.port = (server.address() as AddressInfo).port;
  state.origin = `${secure ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${state.port}`;
  return state;
}

async function failure(promise: Promise<unknown>): Promise<HttpStepError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof HttpStepError) return err;
    throw err;
  }
  throw new Error('expected the request to fail');
}

function readRequestBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(
  res: http.ServerResponse,
  status: number,
  value: unknown,
  headers: http.OutgoingHttpHeaders = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(value));
}

const noAllowlist = createAddressPolicy('');
const allowLocal = createAddressPolicy('127.0.0.1/32');

// ---------------------------------------------------------------------------------------------

describe('SSRF guard (SECURITY.md "HTTP node"), allow-list off', () => {
  let canary: TestServer;
  let canary6: TestServer | undefined;
  let publicServer: TestServer;

  beforeAll(async () => {
    // The listener every blocked request would reach if the guard failed: 127.0.0.1 and ::1, same port.
    canary = await startServer((_req, res) => res.end('reached'));
    canary6 = await startServer((_req, res) => res.end('reached'), '::1', canary.port).catch(() => undefined);
    // Stands in for a public site: allow-listed by its own address, it redirects into the canary.
    publicServer = await startServer((req, res) => {
      const target = new URL(req.url ?? '/', 'http://x').searchParams.get('to') ?? '';
      res.writeHead(req.url?.startsWith('/307') ? 307 : 302, { location: target });
      res.end();
    }, '127.0.0.2');
  });

  afterAll(async () => {
    await canary.close();
    await canary6?.close();
    await publicServer.close();
  });

  it('blocks every private target, encoding, DNS name and redirect hop, and the canary sees no connection', async () => {
    const p = () => canary.port;
    const direct = [
      `http://127.0.0.1:${p()}/`,
      `http://10.0.0.1:${p()}/`,
      `http://172.16.0.1:${p()}/`,
      `http://192.168.1.1:${p()}/`,
      `http://169.254.169.254:${p()}/latest/meta-data/`,
      `http://100.100.100.200:${p()}/latest/meta-data/`,
      `http://0.0.0.0:${p()}/`,
      `http://[::1]:${p()}/`,
      `http://[fe80::1]:${p()}/`,
      `http://[fd00:ec2::254]:${p()}/`,
      `http://[::ffff:127.0.0.1]:${p()}/`,
      `http://2130706433:${p()}/`,
      `http://0x7f000001:${p()}/`,
      `http://127.1:${p()}/`,
      `http://0177.0.0.1:${p()}/`,
      `http://user@127.0.0.1:${p()}/`,
      `http://api.example.com@127.0.0.1:${p()}/`,
      `http://[::]:${p()}/`,
      `http://[64:ff9b::7f00:1]:${p()}/`,
      `https://127.0.0.1:${p()}/`,
      // Names resolve to loopback: only the guarded lookup / connect check can stop these.
      `http://localhost:${p()}/`,
      `https://localhost:${p()}/`,
    ];
    const viaRedirect = [
      `http://127.0.0.1:${p()}/`,
      `http://localhost:${p()}/`,
      `http://[::1]:${p()}/`,
      `http://2130706433:${p()}/`,
      `http://169.254.169.254:${p()}/`,
    ].flatMap((to) => [
      `${publicServer.origin}/302?to=${encodeURIComponent(to)}`,
      `${publicServer.origin}/307?to=${encodeURIComponent(to)}`,
    ]);
    const redirectPolicy = createAddressPolicy('127.0.0.2/32');

    const results: { url: string; code: string; message: string }[] = [];
    for (const url of direct) {
      const err = await failure(sendRequest({ method: 'GET', url, timeoutMs: 2000, policy: noAllowlist }));
      results.push({ url, code: err.code, message: err.message });
      expect(err.retryable).toBe(false);
    }
    for (const url of viaRedirect) {
      const err = await failure(
        sendRequest({ method: 'POST', url, body: 'secret', timeoutMs: 2000, policy: redirectPolicy }),
      );
      results.push({ url, code: err.code, message: err.message });
      expect(err.message).toMatch(/^Blocked \(redirect 1 → /);
    }

    const blocked = results.filter((r) => r.code === 'BLOCKED_ADDRESS');
    console.info(
      `SSRF matrix: ${blocked.length}/${results.length} blocked; canary connections: ${canary.connections + (canary6?.connections ?? 0)}`,
    );
    expect(results.filter((r) => r.code !== 'BLOCKED_ADDRESS')).toEqual([]);
    for (const r of results) expect(r.message).toMatch(/SSRF_ALLOWLIST=/);
    expect(publicServer.requests).toBe(viaRedirect.length);
    expect(canary.connections).toBe(0);
    expect(canary6?.connections ?? 0).toBe(0);
  });

  it('explains what was blocked and how to allow it', async () => {
    const literal = await failure(
      sendRequest({
        method: 'GET',
        url: `http://127.0.0.1:${canary.port}/`,
        timeoutMs: 1000,
        policy: noAllowlist,
      }),
    );
    expect(literal.message).toBe(
      'Blocked: 127.0.0.1 is a loopback address. Requests to internal addresses are refused to protect this server. ' +
        'Self-hosters can allow it with SSRF_ALLOWLIST=127.0.0.1/32.',
    );
    const mapped = await failure(
      sendRequest({
        method: 'GET',
        url: `http://[::ffff:127.0.0.1]:${canary.port}/`,
        timeoutMs: 1000,
        policy: noAllowlist,
      }),
    );
    expect(mapped.message).toMatch(
      /^Blocked: ::ffff:7f00:1 maps to 127\.0\.0\.1, which is a loopback address\./,
    );
    // A name's private address stays in the server's log: the step log only says it is internal.
    const warnings: { details: Record<string, unknown>; message: string }[] = [];
    const logged = createOutboundHttp({
      policy: noAllowlist,
      log: { warn: (details, message) => warnings.push({ details, message }) },
    });
    const byName = await failure(
      logged.request({ method: 'GET', url: `http://localhost:${canary.port}/`, timeoutMs: 1000 }),
    );
    await logged.close();
    expect(byName.message).toBe(
      'Blocked: localhost resolves to an internal address. Requests to internal addresses are refused to protect this server. ' +
        'Self-hosters can allow it with SSRF_ALLOWLIST=localhost.',
    );
    expect(byName.message).not.toMatch(/127\.0\.0\.1|::1/);
    expect(warnings).toEqual([
      {
        details: {
          host: 'localhost',
          address: expect.stringMatching(/^(127\.0\.0\.1|::1)$/),
          range: 'loopback',
        },
        message: 'outbound request blocked: the name resolves to an internal address',
      },
    ]);
    const metadata = await failure(
      sendRequest({ method: 'GET', url: 'http://169.254.169.254/', timeoutMs: 1000, policy: noAllowlist }),
    );
    expect(metadata.message).toMatch(/link-local address .*metadata/);
    expect(metadata.toJSON()).toEqual({
      name: 'HttpStepError',
      code: 'BLOCKED_ADDRESS',
      message: metadata.message,
      retryable: false,
    });
  });

  it('checks the connected address even if the earlier check was bypassed, before writing the request', async () => {
    const target = await startServer((_req, res) => res.end('reached'));
    let calls = 0;
    // First answer "allowed" (as a DNS rebinding or a policy bug might), then tell the truth.
    const leaky: AddressPolicy = {
      isHostnameAllowed: () => false,
      checkAddress: (ip) => (++calls === 1 ? { allowed: true } : noAllowlist.checkAddress(ip)),
    };
    try {
      const err = await failure(
        sendRequest({ method: 'GET', url: target.origin, timeoutMs: 2000, policy: leaky }),
      );
      expect(err.code).toBe('BLOCKED_ADDRESS');
      expect(calls).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(target.requests).toBe(0);
    } finally {
      await target.close();
    }
  });

  it.each([
    ['file:///etc/passwd', 'UNSUPPORTED_SCHEME'],
    ['gopher://127.0.0.1:6379/_FLUSHALL', 'UNSUPPORTED_SCHEME'],
    ['data:text/plain,hello', 'UNSUPPORTED_SCHEME'],
    ['ftp://example.com/file', 'UNSUPPORTED_SCHEME'],
    ['javascript:alert(1)', 'UNSUPPORTED_SCHEME'],
    ['not a url', 'INVALID_URL'],
    ['/relative/path', 'INVALID_URL'],
    ['http://', 'INVALID_URL'],
  ])('rejects %s with %s', async (url, code) => {
    const err = await failure(sendRequest({ method: 'GET', url, timeoutMs: 1000, policy: allowLocal }));
    expect(err.code).toBe(code);
    expect(err.retryable).toBe(false);
    if (code === 'UNSUPPORTED_SCHEME') expect(err.message).toMatch(/only calls http:\/\/ and https:\/\//);
  });

  it('refuses a redirect to another scheme', async () => {
    const err = await failure(
      sendRequest({
        method: 'GET',
        url: `${publicServer.origin}/302?to=${encodeURIComponent('file:///etc/passwd')}`,
        timeoutMs: 1000,
        policy: createAddressPolicy('127.0.0.2/32'),
      }),
    );
    expect(err.code).toBe('UNSUPPORTED_SCHEME');
    expect(err.message).toMatch(/^Redirect from http:\/\/127\.0\.0\.2:\d+\/302.* refused: The file: scheme/);
  });
});

describe('SSRF_ALLOWLIST for self-hosters', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
  });
  afterAll(() => server.close());

  it('allows the allow-listed range and still blocks everything else', async () => {
    const policy = createAddressPolicy('127.0.0.0/30');
    const inRange = await sendRequest({ method: 'GET', url: server.origin, timeoutMs: 2000, policy });
    expect(inRange).toMatchObject({ status: 200, body: { ok: true } });
    // localhost resolves into the range here, so it is allowed as well.
    const byName = await sendRequest({
      method: 'GET',
      url: `http://localhost:${server.port}/`,
      timeoutMs: 2000,
      policy,
    });
    expect(byName.status).toBe(200);

    for (const url of [
      `http://127.0.0.5:${server.port}/`,
      `http://10.0.0.1:${server.port}/`,
      `http://[::1]:${server.port}/`,
      'http://169.254.169.254/',
    ]) {
      const err = await failure(sendRequest({ method: 'GET', url, timeoutMs: 2000, policy }));
      expect(err.code).toBe('BLOCKED_ADDRESS');
    }
  });

  it('allows an allow-listed hostname whatever it resolves to, but not the bare address', async () => {
    const policy = createAddressPolicy('localhost');
    const res = await sendRequest({
      method: 'GET',
      url: `http://localhost:${server.port}/`,
      timeoutMs: 2000,
      policy,
    });
    expect(res.status).toBe(200);
    const err = await failure(sendRequest({ method: 'GET', url: server.origin, timeoutMs: 2000, policy }));
    expect(err.code).toBe('BLOCKED_ADDRESS');
  });
});

// ---------------------------------------------------------------------------------------------

describe('sendRequest against a local server (127.0.0.1 allow-listed)', () => {
  let server: TestServer;
  let other: TestServer;
  let bigBytesWritten = 0;
  const bomb = zlib.gzipSync(Buffer.alloc(50 * MiB));

  beforeAll(async () => {
    server = await startServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = await readRequestBody(req);
      switch (url.pathname) {
        case '/echo':
          return sendJson(res, 200, { method: req.method, path: req.url, headers: req.headers, body });
        case '/json':
          return sendJson(res, 201, { id: 7, tags: ['a'] }, { 'set-cookie': ['a=1', 'b=2'] });
        case '/problem':
          res.writeHead(422, { 'content-type': 'application/problem+json; charset=utf-8' });
          return res.end('{"title":"invalid"}');
        case '/text':
          res.writeHead(200, { 'content-type': 'text/plain' });
          return res.end('hello');
        case '/html-no-type':
          res.writeHead(200);
          return res.end('<p>x</p>');
        case '/bad-json':
          res.writeHead(200, { 'content-type': 'application/json' });
          return res.end('{not json');
        case '/latin1':
          res.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' });
          return res.end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
        case '/gzip':
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
          return res.end(zlib.gzipSync(JSON.stringify({ zipped: true })));
        case '/brotli':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'br' });
          return res.end(zlib.brotliCompressSync('squeezed'));
        case '/corrupt-gzip':
          res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
          return res.end('definitely not gzip');
        case '/bomb':
          res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-encoding': 'gzip' });
          return res.end(bomb);
        case '/big': {
          // 50 MiB, written with back-pressure so the count shows what the client really pulled.
          res.writeHead(200, { 'content-type': 'application/octet-stream' });
          const chunk = Buffer.alloc(64 * 1024, 'x');
          let closed = false;
          let wake = () => {};
          res.on('close', () => {
            closed = true;
            wake();
          });
          res.on('drain', () => wake());
          for (let sent = 0; sent < 50 * MiB && !closed; sent += chunk.length) {
            if (!res.write(chunk)) await new Promise<void>((resolve) => (wake = resolve));
            if (!closed) bigBytesWritten += chunk.length;
          }
          return res.end();
        }
        case '/hang':
          return; // never answers
        case '/slow-body': {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const timer = setInterval(() => res.write('.'), 50);
          res.on('close', () => clearInterval(timer));
          return;
        }
        case '/redirect': {
          const n = Number(url.searchParams.get('n'));
          if (n <= 0) return sendJson(res, 200, { arrived: true });
          res.writeHead(302, { location: `/redirect?n=${n - 1}` });
          return res.end();
        }
        case '/status': {
          const status = Number(url.searchParams.get('code'));
          const location = url.searchParams.get('to');
          res.writeHead(status, location ? { location } : { 'retry-after': '2' });
          return res.end(`status ${status}`);
        }
        default:
          res.writeHead(404);
          return res.end();
      }
    });
    other = await startServer((req, res) => sendJson(res, 200, { headers: req.headers, method: req.method }));
  });

  afterAll(async () => {
    await server.close();
    await other.close();
  });

  const send = (path: string, init: Partial<Parameters<typeof sendRequest>[0]> = {}) =>
    sendRequest({
      method: 'GET',
      url: `${server.origin}${path}`,
      timeoutMs: 5000,
      policy: allowLocal,
      ...init,
    });

  it.each(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'get'])('sends %s', async (method) => {
    const res = await send('/echo', { method });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ method: method.toUpperCase() });
  });

  it('sends HEAD and returns an empty body', async () => {
    const res = await send('/json', { method: 'HEAD' });
    expect(res).toMatchObject({ status: 201, body: '', bytes: 0, truncated: false });
    expect(res.headers['content-type']).toBe('application/json');
  });

  it.each([
    [
      { type: 'json', value: { user: { id: 1 }, amount: '9.90' } },
      'application/json',
      '{"user":{"id":1},"amount":"9.90"}',
    ],
    [{ type: 'text', value: 'plain words ✓' }, 'text/plain; charset=utf-8', 'plain words ✓'],
    [
      { type: 'form', value: { a: '1', b: 'x y&z', n: 2, skip: null } },
      'application/x-www-form-urlencoded',
      'a=1&b=x+y%26z&n=2',
    ],
  ] as const)('echoes a %o body', async (spec, contentType, expected) => {
    const encoded = encodeRequestBody(spec);
    expect(encoded.contentType).toBe(contentType);
    const res = await send('/echo', {
      method: 'POST',
      headers: { 'Content-Type': encoded.contentType ?? '' },
      body: encoded.body,
    });
    expect(res.body).toMatchObject({
      body: expected,
      headers: { 'content-type': contentType, 'content-length': String(Buffer.byteLength(expected)) },
    });
  });

  it('sends a binary body and computes Content-Length itself', async () => {
    const res = await send('/echo', {
      method: 'PUT',
      headers: { 'content-length': '999', 'x-custom': 'yes' },
      body: Buffer.from('bytes'),
    });
    expect(res.body).toMatchObject({
      body: 'bytes',
      headers: { 'content-length': '5', 'x-custom': 'yes', 'user-agent': 'AutomateOS' },
    });
    expect(encodeRequestBody({ type: 'none' })).toEqual({});
  });

  it('parses the response by content type', async () => {
    const json = await send('/json');
    expect(json).toMatchObject({
      status: 201,
      statusText: 'Created',
      body: { id: 7, tags: ['a'] },
      truncated: false,
    });
    expect(json.headers['set-cookie']).toBe('a=1, b=2');
    expect(json.durationMs).toBeGreaterThanOrEqual(0);
    expect(json.redirects).toBe(0);
    expect((await send('/problem')).body).toEqual({ title: 'invalid' });
    expect((await send('/text')).body).toBe('hello');
    expect((await send('/html-no-type')).body).toBe('<p>x</p>');
    expect((await send('/bad-json')).body).toBe('{not json');
    expect((await send('/latin1')).body).toBe('café');
    expect((await send('/gzip')).body).toEqual({ zipped: true });
    expect((await send('/brotli')).body).toBe('squeezed');
  });

  it('reports a body that cannot be decompressed', async () => {
    const err = await failure(send('/corrupt-gzip'));
    expect(err).toMatchObject({ code: 'NETWORK', retryable: false });
    expect(err.message).toMatch(/could not be decompressed \(gzip\)/);
  });

  it('turns URL credentials into Basic auth and keeps them out of the result', async () => {
    const res = await sendRequest({
      method: 'GET',
      url: `http://user:p%40ss@127.0.0.1:${server.port}/echo`,
      timeoutMs: 2000,
      policy: allowLocal,
    });
    expect(res.body).toMatchObject({
      headers: { authorization: `Basic ${Buffer.from('user:p@ss').toString('base64')}` },
    });
    expect(res.url).toBe(`${server.origin}/echo`);

    const explicit = await sendRequest({
      method: 'GET',
      url: `http://user:pw@127.0.0.1:${server.port}/echo`,
      headers: { Authorization: 'Bearer t' },
      timeoutMs: 2000,
      policy: allowLocal,
    });
    expect(explicit.body).toMatchObject({ headers: { authorization: 'Bearer t' } });
  });

  it('rejects a method or header that cannot be sent', async () => {
    expect(await failure(send('/echo', { method: 'GE T' }))).toMatchObject({ code: 'INVALID_REQUEST' });
    expect(await failure(send('/echo', { headers: { 'bad header': 'x' } }))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(await failure(send('/echo', { headers: { 'x-a': 'line\r\nbreak' } }))).toMatchObject({
      code: 'INVALID_REQUEST',
    });
    expect(await failure(send('/echo', { timeoutMs: 0 }))).toMatchObject({ code: 'INVALID_REQUEST' });
  });

  it('cuts a 50 MiB response at 5 MiB, quickly and without reading the rest', async () => {
    bigBytesWritten = 0;
    const started = performance.now();
    const res = await send('/big', { timeoutMs: 10_000 });
    const seconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 100));
    console.info(
      `50 MiB response: kept ${res.bytes} bytes, server managed to write ${(bigBytesWritten / MiB).toFixed(1)} MiB, ${seconds.toFixed(2)} s`,
    );
    expect(res).toMatchObject({ status: 200, truncated: true, bytes: 5 * MiB });
    expect(typeof res.body === 'string' && res.body.length).toBe(5 * MiB);
    expect(bigBytesWritten).toBeLessThan(25 * MiB);
  });

  it('applies the byte cap after decompression (gzip bomb)', async () => {
    const res = await send('/bomb', { maxResponseBytes: 1 * MiB });
    expect(bomb.length).toBeLessThan(MiB);
    expect(res).toMatchObject({ truncated: true, bytes: 1 * MiB });
  });

  it('marks a truncated JSON body and keeps it as text', async () => {
    const res = await send('/json', { maxResponseBytes: 5 });
    expect(res).toMatchObject({ truncated: true, bytes: 5, body: '{"id"' });
  });

  it('times out on a server that never answers', async () => {
    const started = performance.now();
    const err = await failure(send('/hang', { timeoutMs: 300 }));
    const elapsed = performance.now() - started;
    expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
    expect(err.message).toMatch(/within 300 ms\. Raise the step's timeoutMs/);
    // It waited for the timeout; a timeout that never fires fails the test by the test's own timeout.
    expect(elapsed).toBeGreaterThanOrEqual(250);
  });

  it('times out on a body that trickles forever', async () => {
    const err = await failure(send('/slow-body', { timeoutMs: 300 }));
    expect(err).toMatchObject({ code: 'TIMEOUT', retryable: true });
  });

  it('reports a refused connection as a retryable network error', async () => {
    const closed = await startServer(() => undefined);
    await closed.close();
    const err = await failure(
      sendRequest({ method: 'GET', url: closed.origin, timeoutMs: 2000, policy: allowLocal }),
    );
    expect(err).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(err.message).toMatch(/refused the connection/);
  });

  it('follows up to 5 redirects and reports them', async () => {
    const res = await send('/redirect?n=5');
    expect(res).toMatchObject({ status: 200, body: { arrived: true }, redirects: 5 });
    expect(res.url).toBe(`${server.origin}/redirect?n=0`);
  });

  it('stops at the 6th redirect, or at the configured limit', async () => {
    const err = await failure(send('/redirect?n=6'));
    expect(err).toMatchObject({ code: 'TOO_MANY_REDIRECTS', retryable: false });
    expect(err.message).toMatch(/Stopped after 5 redirects/);
    expect(await failure(send('/redirect?n=1', { maxRedirects: 0 }))).toMatchObject({
      code: 'TOO_MANY_REDIRECTS',
    });
    expect((await send('/redirect?n=2', { maxRedirects: 2 })).redirects).toBe(2);
  });

  it.each([
    [301, 'POST', 'GET', ''],
    [302, 'POST', 'GET', ''],
    [303, 'POST', 'GET', ''],
    [303, 'PUT', 'GET', ''],
    [302, 'PUT', 'PUT', 'payload'],
    [307, 'POST', 'POST', 'payload'],
    [308, 'PATCH', 'PATCH', 'payload'],
  ])('%i after %s continues with %s', async (status, method, nextMethod, nextBody) => {
    const res = await send(`/status?code=${status}&to=/echo`, {
      method,
      headers: { 'content-type': 'text/plain' },
      body: 'payload',
    });
    expect(res).toMatchObject({ status: 200, redirects: 1, body: { method: nextMethod, body: nextBody } });
    const headers = (res.body as { headers: Record<string, string> }).headers;
    expect(headers['content-type']).toBe(nextBody === '' ? undefined : 'text/plain');
  });

  it('returns a 3xx without Location as it is', async () => {
    const res = await send('/status?code=300');
    expect(res).toMatchObject({ status: 300, redirects: 0, body: 'status 300' });
  });

  it("keeps the step's headers on a same-origin redirect and drops every one of them on a cross-origin one", async () => {
    const headers = {
      authorization: 'Bearer secret',
      cookie: 'sid=1',
      'x-other': 'kept',
      'user-agent': 'mine',
    };
    const same = await send('/status?code=302&to=/echo', { headers });
    expect(same.body).toMatchObject({
      headers: { authorization: 'Bearer secret', cookie: 'sid=1', 'x-other': 'kept', 'user-agent': 'mine' },
    });

    const cross = await send(`/status?code=302&to=${encodeURIComponent(`${other.origin}/`)}`, { headers });
    const seen = (cross.body as { headers: Record<string, string> }).headers;
    expect(seen.authorization).toBeUndefined();
    expect(seen.cookie).toBeUndefined();
    expect(seen['x-other']).toBeUndefined();
    expect(seen['user-agent']).toBe('AutomateOS');
    expect(cross.url).toBe(`${other.origin}/`);

    // A 307 takes the body along, and with it the headers that describe it: nothing else.
    const kept = await send(`/status?code=307&to=${encodeURIComponent(`${other.origin}/`)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'x-api-key': 'secret' },
      body: 'payload',
    });
    const seen307 = (kept.body as { headers: Record<string, string>; method: string }).headers;
    expect(kept.body).toMatchObject({ method: 'POST' });
    expect(seen307['content-type']).toBe('text/plain');
    expect(seen307['x-api-key']).toBeUndefined();
  });

  it('never repeats credentials of a URL in its messages', async () => {
    const invalid = await failure(
      sendRequest({
        method: 'GET',
        url: 'http://user:hunter2@exa mple.com/',
        timeoutMs: 1000,
        policy: allowLocal,
      }),
    );
    expect(invalid.code).toBe('INVALID_URL');
    expect(invalid.message).toBe(
      '"http://exa mple.com/" is not a valid URL; write a full address such as https://api.example.com/path.',
    );
    const redirected = await failure(
      send(`/status?code=302&to=${encodeURIComponent('http://u:hunter2@[x/')}`),
    );
    expect(redirected.code).toBe('INVALID_URL');
    expect(redirected.message).toMatch(/ has an invalid Location "http:\/\/\[x\/"\.$/);
  });

  it('keeps connections alive: sequential and concurrent requests share a few', async () => {
    const pooled = await startServer((_req, res) => sendJson(res, 200, { ok: true }));
    try {
      for (let i = 0; i < 20; i++) {
        await sendRequest({ method: 'GET', url: `${pooled.origin}/`, timeoutMs: 2000, policy: allowLocal });
      }
      // undici may open a second connection while the first is being released; never one per request.
      expect(pooled.connections).toBeLessThanOrEqual(2);
      await Promise.all(
        Array.from({ length: 20 }, () =>
          sendRequest({
            method: 'POST',
            url: `${pooled.origin}/`,
            body: 'x',
            timeoutMs: 2000,
            policy: allowLocal,
          }),
        ),
      );
      console.info(`keep-alive: 40 requests over ${pooled.connections} connection(s)`);
      expect(pooled.requests).toBe(40);
      expect(pooled.connections).toBeLessThanOrEqual(22);
    } finally {
      await pooled.close();
    }
  });

  it('stops a request, a slow body and its redirects when the worker aborts it', async () => {
    const controller = new AbortController();
    const reason = new DOMException('the worker is stopping', 'AbortError');
    const pending = send('/hang', { timeoutMs: 30_000, signal: controller.signal }).catch((e: unknown) => e);
    setTimeout(() => controller.abort(reason), 50);
    expect(await pending).toBe(reason);

    const body = new AbortController();
    const trickle = send('/slow-body', { timeoutMs: 30_000, signal: body.signal }).catch((e: unknown) => e);
    setTimeout(() => body.abort(reason), 120);
    expect(await trickle).toBe(reason);

    const already = new AbortController();
    already.abort(reason);
    expect(await send('/echo', { signal: already.signal }).catch((e: unknown) => e)).toBe(reason);
  });

  it('returns a 429 with its Retry-After so the worker can wait as asked', async () => {
    const res = await send('/status?code=429');
    expect(res.status).toBe(429);
    expect(isRetryableStatus(res.status)).toBe(true);
    expect(
      retryDelayMs({ attempt: 1, backoff: 'fixed', delayMs: 500, retryAfter: res.headers['retry-after'] }),
    ).toBe(2000);
  });
});

// ---------------------------------------------------------------------------------------------

describe('TLS and proxies', () => {
  let secure: TestServer;
  beforeAll(async () => {
    secure = await startServer((_req, res) => sendJson(res, 200, { secure: true }), '127.0.0.1', 0, true);
  });
  afterAll(() => secure.close());

  it('checks certificates and says so when one is not trusted', async () => {
    const err = await failure(
      sendRequest({ method: 'GET', url: secure.origin, timeoutMs: 2000, policy: allowLocal }),
    );
    expect(err).toMatchObject({ code: 'NETWORK', retryable: false });
    expect(err.message).toMatch(
      /^The TLS certificate of 127\.0\.0\.1:\d+ is not trusted \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
    );
  });

  it('never goes through HTTP_PROXY / HTTPS_PROXY / NODE_USE_ENV_PROXY: private targets stay blocked and the proxy sees nothing', async () => {
    // A forward proxy that records what it is asked for and answers every request itself, tunnels too.
    const proxied: string[] = [];
    const proxyServer = http.createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      res.end('via proxy');
    });
    proxyServer.on('connect', (req: http.IncomingMessage, socket: Socket) => {
      proxied.push(`CONNECT ${req.url}`);
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      socket.once('data', () =>
        socket.end('HTTP/1.1 200 OK\r\ncontent-length: 9\r\nconnection: close\r\n\r\nvia proxy'),
      );
    });
    await new Promise<void>((resolve) => proxyServer.listen(0, '127.0.0.1', resolve));
    const proxy = {
      origin: `http://127.0.0.1:${(proxyServer.address() as AddressInfo).port}`,
      close: () => {
        proxyServer.closeAllConnections();
        return new Promise<void>((resolve) => proxyServer.close(() => resolve()));
      },
    };
    const canary = await startServer((_req, res) => res.end('reached'));
    try {
      const proxyUrl = proxy.origin;
      const requests = [
        { url: `http://127.0.0.1:${canary.port}/`, allow: '' },
        { url: `http://localhost:${canary.port}/`, allow: '' },
        { url: 'http://169.254.169.254/latest/meta-data/', allow: '' },
        // Allowed targets are reached directly, over our own connection (TLS included).
        { url: `${secure.origin}/`, allow: '127.0.0.1/32' },
      ];
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'test/outbound-probe.ts', JSON.stringify(requests), 'http://proxied.example/'],
        {
          cwd: path.join(import.meta.dirname, '../..'),
          timeout: 20_000,
          env: {
            ...process.env,
            HTTP_PROXY: proxyUrl,
            HTTPS_PROXY: proxyUrl,
            http_proxy: proxyUrl,
            https_proxy: proxyUrl,
            NO_PROXY: '',
            no_proxy: '',
            NODE_USE_ENV_PROXY: '1',
            NODE_EXTRA_CA_CERTS: path.join(tlsDir, 'localhost.crt'),
          },
        },
      );
      const { results, control } = JSON.parse(stdout) as { results: unknown[]; control: unknown };
      expect(results).toEqual([
        { url: requests[0]?.url, code: 'BLOCKED_ADDRESS' },
        { url: requests[1]?.url, code: 'BLOCKED_ADDRESS' },
        { url: requests[2]?.url, code: 'BLOCKED_ADDRESS' },
        { url: requests[3]?.url, status: 200, body: { secure: true } },
      ]);
      // The control shows the variables were live in that process: Node's own fetch used the proxy.
      expect(control).toEqual({ status: 200, body: 'via proxy' });
      expect(proxied).toHaveLength(1);
      expect(proxied[0]).toMatch(/proxied\.example/);
      expect(canary.connections).toBe(0);
    } finally {
      await proxy.close();
      await canary.close();
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe('retry helpers', () => {
  it('treats 408, 429 and 5xx as retryable statuses', () => {
    for (const status of [408, 429, 500, 502, 503, 504, 599]) expect(isRetryableStatus(status)).toBe(true);
    for (const status of [200, 204, 301, 400, 401, 403, 404, 409, 422, 600])
      expect(isRetryableStatus(status)).toBe(false);
  });

  it('parses Retry-After as seconds or an HTTP date, capped at 60 s', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('5', now)).toBe(5000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('120', now)).toBe(MAX_RETRY_DELAY_MS);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wednesday, 21-Oct-15 07:28:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Wed Oct 21 07:28:20 2015', now)).toBe(20_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Thu, 22 Oct 2015 07:28:00 GMT', now)).toBe(MAX_RETRY_DELAY_MS);
    for (const bad of [null, undefined, '', 'soon', '1.5', '-1', '1 day', 'Wed, 99 Foo 2015']) {
      expect(parseRetryAfter(bad, now)).toBeNull();
    }
  });

  it('computes fixed and exponential backoff deterministically', () => {
    const fixed = [1, 2, 3].map((attempt) => retryDelayMs({ attempt, backoff: 'fixed', delayMs: 1000 }));
    expect(fixed).toEqual([1000, 1000, 1000]);
    const exponential = [1, 2, 3, 4, 5].map((attempt) =>
      retryDelayMs({ attempt, backoff: 'exponential', delayMs: 1000 }),
    );
    expect(exponential).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(retryDelayMs({ attempt: 10, backoff: 'exponential', delayMs: 1000 })).toBe(MAX_RETRY_DELAY_MS);
    expect(retryDelayMs({ attempt: 3, backoff: 'exponential', delayMs: 90_000 })).toBe(90_000);
    expect(retryDelayMs({ attempt: 0, backoff: 'exponential', delayMs: 250 })).toBe(250);
    expect(retryDelayMs({ attempt: 2, backoff: 'fixed', delayMs: -5 })).toBe(0);
  });

  it('waits at least as long as Retry-After asks', () => {
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(retryDelayMs({ attempt: 1, backoff: 'fixed', delayMs: 1000, retryAfter: '5' })).toBe(5000);
    expect(retryDelayMs({ attempt: 3, backoff: 'exponential', delayMs: 1000, retryAfter: '1' })).toBe(4000);
    expect(
      retryDelayMs({
        attempt: 1,
        backoff: 'fixed',
        delayMs: 0,
        retryAfter: 'Wed, 21 Oct 2015 07:28:45 GMT',
        now,
      }),
    ).toBe(45_000);
    expect(retryDelayMs({ attempt: 1, backoff: 'fixed', delayMs: 0, retryAfter: '3600' })).toBe(
      MAX_RETRY_DELAY_MS,
    );
    expect(retryDelayMs({ attempt: 1, backoff: 'fixed', delayMs: 700, retryAfter: 'garbage' })).toBe(700);
    expect(retryDelayMs({ attempt: 1, backoff: 'fixed', delayMs: 700, retryAfter: null })).toBe(700);
  });
});
