/** The HTTP Request step itself (config → request → outcome), against a local server. */
import { httpConfigSchema } from '@automateos/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { publicApis, startTarget, type Target } from '../../test/fixtures';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import { httpNode, sleep } from './http';
import { resolveStep } from './registry';
import { StepFailure } from './types';

let target: Target;
const quiet = { info: () => {}, warn: () => {} };
const http = createOutboundHttp({ policy: createAddressPolicy('127.0.0.1/32') });
const ctx = {
  signal: new AbortController().signal,
  http,
  apis: publicApis,
  log: quiet,
  credential: undefined,
};

beforeAll(async () => {
  target = await startTarget();
});
afterAll(async () => {
  await http.close();
  await target.close();
});
beforeEach(() => {
  target.requests = [];
});

const config = (overrides: Record<string, unknown>) =>
  httpConfigSchema.parse({ url: `${target.url}/x`, ...overrides });

describe('HTTP Request step', () => {
  it('sends method, query, headers and a JSON body, and returns status, headers and parsed body', async () => {
    target.respond = (req) => ({
      status: 201,
      headers: { 'x-id': '7' },
      body: { got: JSON.parse(req.body) },
    });
    const outcome = await httpNode.run(
      config({
        method: 'POST',
        query: { a: '1' },
        headers: { 'X-Source': 'aos' },
        body: { type: 'json', value: { n: 1 } },
      }),
      ctx,
    );
    expect(outcome).toMatchObject({
      kind: 'continue',
      attempts: 1,
      output: { status: 201, body: { got: { n: 1 } } },
    });
    expect((outcome as { output: { headers: Record<string, string> } }).output.headers['x-id']).toBe('7');
    expect(target.requests[0]).toMatchObject({ method: 'POST', url: '/x?a=1' });
    expect(target.requests[0]?.headers['x-source']).toBe('aos');
    expect(target.requests[0]?.headers['content-type']).toBe('application/json');
  });

  it('sends form bodies url-encoded', async () => {
    await httpNode.run(config({ method: 'POST', body: { type: 'form', value: { a: 'x y', b: '2' } } }), ctx);
    expect(target.requests[0]?.body).toBe('a=x+y&b=2');
    expect(target.requests[0]?.headers['content-type']).toBe('application/x-www-form-urlencoded');
  });

  it('retries 429 and 5xx per the policy, honouring Retry-After, then succeeds', async () => {
    const answers = [
      { status: 429, headers: { 'retry-after': '1' } },
      { status: 503 },
      { status: 200, body: { ok: true } },
    ];
    target.respond = () => answers.shift() ?? { status: 200 };
    const started = Date.now();
    const outcome = await httpNode.run(
      config({ retry: { attempts: 3, backoff: 'fixed', delayMs: 10 } }),
      ctx,
    );
    expect(outcome).toMatchObject({ kind: 'continue', attempts: 3, output: { status: 200 } });
    expect(target.requests).toHaveLength(3);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000); // Retry-After: 1 s beats the 10 ms delay
  });

  it('fails on a 4xx without retrying it, keeping the response in the failure', async () => {
    target.respond = () => ({ status: 404, body: { error: 'nope' } });
    const error = await httpNode
      .run(config({ retry: { attempts: 3, backoff: 'fixed', delayMs: 1 } }), ctx)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect(error).toMatchObject({
      code: 'HTTP_STATUS',
      attempts: 1,
      output: { status: 404, body: { error: 'nope' } },
    });
    expect(target.requests).toHaveLength(1);
  });

  it('with failOnHttpError false, a 4xx or a 5xx after its retries is an output, not a failure', async () => {
    target.respond = () => ({ status: 404 });
    expect(await httpNode.run(config({ failOnHttpError: false }), ctx)).toMatchObject({
      kind: 'continue',
      output: { status: 404 },
    });
    target.respond = () => ({ status: 500 });
    target.requests = [];
    expect(
      await httpNode.run(
        config({ failOnHttpError: false, retry: { attempts: 1, backoff: 'fixed', delayMs: 1 } }),
        ctx,
      ),
    ).toMatchObject({ kind: 'continue', attempts: 2, output: { status: 500 } });
    expect(target.requests).toHaveLength(2);
  });

  it('times out a target that does not answer, and says so', async () => {
    target.respond = () => ({ delayMs: 5_000 });
    const error = await httpNode.run(config({ timeoutMs: 200 }), ctx).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'TIMEOUT' });
  });

  it('refuses a private address unless allow-listed', async () => {
    const strict = createOutboundHttp({ policy: createAddressPolicy('') });
    const blocked = await httpNode.run(config({}), { ...ctx, http: strict }).catch((e: unknown) => e);
    await strict.close();
    expect(blocked).toMatchObject({ code: 'BLOCKED_ADDRESS' });
    expect(target.requests).toHaveLength(0);
  });

  it('sends numbers and true/false from whole-string expressions as text', async () => {
    const step = {
      type: 'http' as const,
      config: config({
        method: 'POST',
        query: { id: '{{ trigger.body.id }}' },
        headers: { 'X-Id': '{{ trigger.body.id }}', 'X-Vip': '{{ trigger.body.vip }}' },
        body: { type: 'form', value: { id: '{{ trigger.body.id }}', tags: '{{ trigger.body.tags }}' } },
      }),
    };
    const { input } = resolveStep(step, { trigger: { body: { id: 7, vip: true, tags: ['a'] } }, steps: {} });
    expect(await httpNode.run(input, ctx)).toMatchObject({ kind: 'continue', output: { status: 200 } });
    expect(target.requests[0]).toMatchObject({ url: '/x?id=7', body: 'id=7&tags=%5B%22a%22%5D' });

    // A space from the payload in the URL is encoded, as a browser would.
    const named = resolveStep(
      { type: 'http', config: config({ url: `${target.url}/users/{{ trigger.body.name }}` }) },
      { trigger: { body: { name: 'Ada Lovelace' } }, steps: {} },
    );
    await httpNode.run(named.input, ctx);
    expect(target.requests[1]?.url).toBe('/users/Ada%20Lovelace');
    expect(target.requests[0]?.headers).toMatchObject({ 'x-id': '7', 'x-vip': 'true' });
  });

  it('refuses an input whose expressions put the wrong type in a field, naming the field', async () => {
    const step = {
      type: 'http' as const,
      config: config({ url: '{{ trigger.body.target }}', headers: { 'X-Id': '{{ trigger.body.id }}' } }),
    };
    const scope = { trigger: { body: { target: { host: 'example.com' }, id: null } }, steps: {} };
    const { input } = resolveStep(step, scope);
    expect(input).toMatchObject({ url: { host: 'example.com' }, headers: { 'X-Id': null } });
    const error = await httpNode.run(input, ctx).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFailure);
    expect(error).toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'After its expressions were resolved, url is an object where text belongs; headers["X-Id"] is null where text belongs. Check the expressions in these fields.',
    });

    const internal = resolveStep(
      { type: 'http', config: config({ url: '{{ trigger.body.target }}' }) },
      { trigger: { body: { target: 'file:///etc/passwd' } }, steps: {} },
    );
    expect(await httpNode.run(internal.input, ctx).catch((e: unknown) => e)).toMatchObject({
      code: 'UNSUPPORTED_SCHEME',
    });
    expect(target.requests).toHaveLength(0);
  });

  it('stops waiting for a retry when the worker aborts, and leaves no abort listener behind', async () => {
    target.respond = () => ({ status: 503 });
    const controller = new AbortController();
    const reason = new Error('worker stopping');
    const pending = httpNode
      .run(config({ retry: { attempts: 5, backoff: 'fixed', delayMs: 30_000 } }), {
        ...ctx,
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort(reason);
    expect(await pending).toBe(reason);
    expect(target.requests).toHaveLength(1);

    // Every finished wait removes its listener: a long retry loop does not pile them up.
    const signal = new AbortController().signal;
    const added = vi.spyOn(signal, 'addEventListener');
    const removed = vi.spyOn(signal, 'removeEventListener');
    for (let i = 0; i < 3; i++) await sleep(1, signal);
    expect(added).toHaveBeenCalledTimes(3);
    expect(removed.mock.calls.map((call) => call[1])).toEqual(added.mock.calls.map((call) => call[1]));
  });
});
