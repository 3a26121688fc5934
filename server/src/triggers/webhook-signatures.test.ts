/**
 * Signatures made by the senders' own libraries (and Slack's documented example) against our
 * verification: valid passes; one changed byte, a stale timestamp, a missing header, an old secret
 * and a re-serialised body each fail with their reason.
 */
import { createHmac } from 'node:crypto';
import type { WebhookSignatureConfig } from '@automateos/shared';
import { sign as githubSign } from '@octokit/webhooks-methods';
import { Webhook } from 'standardwebhooks';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifySignature } from './webhook-signatures';

// Keys in an order and spacing a re-serialisation would not keep.
const body = '{"type":"invoice.paid",  "id":"evt_1","data":{"b":2,"a":1}}';
const reserialised = JSON.stringify(JSON.parse(body));
const changedByte = body.replace('"b":2', '"b":3');
const now = Date.parse('2026-05-01T12:00:00Z');
const seconds = Math.floor(now / 1000);
const stale = seconds - 6 * 60;

const reasonOf = (...args: Parameters<typeof verifySignature>) => {
  const result = verifySignature(...args);
  return result.ok ? 'ok' : result.failure;
};

describe('Standard Webhooks (the standardwebhooks library signs)', () => {
  const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
  const oldSecret = 'whsec_dGhlIG9sZCBzZWNyZXQgYmVmb3JlIHJvdGF0aW9u';
  const config: WebhookSignatureConfig = { preset: 'standardWebhooks', credentialId: 'c' };
  const headers = (payload: string, options: { at?: number; key?: string } = {}) => {
    const at = options.at ?? seconds;
    return {
      'webhook-id': 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
      'webhook-timestamp': String(at),
      'webhook-signature': new Webhook(options.key ?? secret).sign(
        'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
        new Date(at * 1000),
        payload,
      ),
    };
  };

  it('passes a valid signature and names the delivery id', () => {
    expect(verifySignature(config, secret, headers(body), Buffer.from(body), now)).toEqual({
      ok: true,
      deliveryId: 'msg_2KWPBgLlAfxdpx2AI54pPJ85f4W',
    });
  });

  it('refuses a changed byte, a stale timestamp, a missing header, an old secret, a re-serialised body', () => {
    expect(reasonOf(config, secret, headers(body), Buffer.from(changedByte), now)).toBe('mismatch');
    expect(reasonOf(config, secret, headers(body, { at: stale }), Buffer.from(body), now)).toBe(
      'stale-timestamp',
    );
    const { 'webhook-signature': _, ...unsigned } = headers(body);
    expect(reasonOf(config, secret, unsigned, Buffer.from(body), now)).toBe('missing-header');
    expect(reasonOf(config, secret, headers(body, { key: oldSecret }), Buffer.from(body), now)).toBe(
      'mismatch',
    );
    expect(reasonOf(config, secret, headers(body), Buffer.from(reserialised), now)).toBe('mismatch');
    expect(
      reasonOf(config, secret, { ...headers(body), 'webhook-signature': 'v2,abc' }, Buffer.from(body), now),
    ).toBe('bad-format');
  });

  it('passes while a secret rotates: any of several signatures may match', () => {
    const both = {
      ...headers(body),
      'webhook-signature': `${headers(body, { key: oldSecret })['webhook-signature']} ${headers(body)['webhook-signature']}`,
    };
    expect(reasonOf(config, secret, both, Buffer.from(body), now)).toBe('ok');
    expect(reasonOf(config, oldSecret, both, Buffer.from(body), now)).toBe('ok');
  });
});

describe('Stripe (stripe.webhooks.generateTestHeaderString signs)', () => {
  const secret = 'whsec_test_5ZxY9m2Qp';
  const config: WebhookSignatureConfig = { preset: 'stripe', credentialId: 'c' };
  const header = (payload: string, options: { at?: number; key?: string } = {}) => ({
    'stripe-signature': Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.key ?? secret,
      timestamp: options.at ?? seconds,
    }),
  });

  it('passes a valid signature, with the event id as the delivery id', () => {
    expect(verifySignature(config, secret, header(body), Buffer.from(body), now)).toEqual({
      ok: true,
      deliveryId: 'evt_1',
    });
  });

  it('refuses a changed byte, a stale timestamp, a missing header, an old secret, a re-serialised body', () => {
    expect(reasonOf(config, secret, header(body), Buffer.from(changedByte), now)).toBe('mismatch');
    expect(reasonOf(config, secret, header(body, { at: stale }), Buffer.from(body), now)).toBe(
      'stale-timestamp',
    );
    expect(reasonOf(config, secret, {}, Buffer.from(body), now)).toBe('missing-header');
    expect(reasonOf(config, secret, header(body, { key: 'whsec_old' }), Buffer.from(body), now)).toBe(
      'mismatch',
    );
    expect(reasonOf(config, secret, header(body), Buffer.from(reserialised), now)).toBe('mismatch');
    expect(reasonOf(config, secret, { 'stripe-signature': 'v1=zz' }, Buffer.from(body), now)).toBe(
      'bad-format',
    );
  });
});

describe('GitHub (@octokit/webhooks-methods signs)', () => {
  const secret = "It's a Secret to Everybody";
  const config: WebhookSignatureConfig = { preset: 'github', credentialId: 'c' };
  const headers = async (payload: string, key = secret) => ({
    'x-hub-signature-256': await githubSign(key, payload),
    'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
  });

  it("passes a valid signature, and GitHub's documented example", async () => {
    expect(verifySignature(config, secret, await headers(body), Buffer.from(body), now)).toEqual({
      ok: true,
      deliveryId: '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    });
    // docs.github.com: "Hello, World!" with this secret.
    const documented = {
      'x-hub-signature-256': 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    };
    expect(reasonOf(config, secret, documented, Buffer.from('Hello, World!'), now)).toBe('ok');
  });

  it('refuses a changed byte, a missing header, an old secret, a re-serialised body', async () => {
    expect(reasonOf(config, secret, await headers(body), Buffer.from(changedByte), now)).toBe('mismatch');
    expect(reasonOf(config, secret, {}, Buffer.from(body), now)).toBe('missing-header');
    expect(reasonOf(config, secret, await headers(body, 'old secret'), Buffer.from(body), now)).toBe(
      'mismatch',
    );
    expect(reasonOf(config, secret, await headers(body), Buffer.from(reserialised), now)).toBe('mismatch');
    expect(reasonOf(config, secret, { 'x-hub-signature-256': 'sha1=abc' }, Buffer.from(body), now)).toBe(
      'bad-format',
    );
  });
});

describe("Slack (the documented example from Slack's request-verification guide)", () => {
  const secret = '8f742231b10e8888abcd99yyyzzz85a5';
  const config: WebhookSignatureConfig = { preset: 'slack', credentialId: 'c' };
  const documentedBody =
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
  const documented = {
    'x-slack-request-timestamp': '1531420618',
    'x-slack-signature': 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
  };
  const then = 1531420618 * 1000 + 30_000;

  it('passes the documented request', () => {
    expect(reasonOf(config, secret, documented, Buffer.from(documentedBody), then)).toBe('ok');
  });

  it('refuses a changed byte, the same request 5 minutes later, a missing header, another secret', () => {
    const changed = documentedBody.replace('roadrunner', 'roadrunnes');
    expect(reasonOf(config, secret, documented, Buffer.from(changed), then)).toBe('mismatch');
    expect(reasonOf(config, secret, documented, Buffer.from(documentedBody), then + 5 * 60_000)).toBe(
      'stale-timestamp',
    );
    const { 'x-slack-request-timestamp': _, ...noTimestamp } = documented;
    expect(reasonOf(config, secret, noTimestamp, Buffer.from(documentedBody), then)).toBe('missing-header');
    expect(reasonOf(config, 'another secret', documented, Buffer.from(documentedBody), then)).toBe(
      'mismatch',
    );
  });
});

describe('custom HMAC', () => {
  const secret = 'shared-secret';
  const base: WebhookSignatureConfig = {
    preset: 'hmac',
    credentialId: 'c',
    header: 'X-Signature',
    algorithm: 'sha512',
    encoding: 'base64',
    prefix: 'sha512=',
  };
  const mac = (algorithm: string, content: string, encoding: 'hex' | 'base64') =>
    createHmac(algorithm, secret).update(content).digest(encoding);

  it('checks the header, algorithm, encoding and prefix configured', () => {
    const header = { 'x-signature': `sha512=${mac('sha512', body, 'base64')}` };
    expect(reasonOf(base, secret, header, Buffer.from(body), now)).toBe('ok');
    expect(reasonOf(base, secret, header, Buffer.from(reserialised), now)).toBe('mismatch');
    expect(
      reasonOf(base, secret, { 'x-signature': mac('sha512', body, 'base64') }, Buffer.from(body), now),
    ).toBe('bad-format');
    expect(reasonOf(base, secret, {}, Buffer.from(body), now)).toBe('missing-header');
  });

  it('with a timestamp header, signs "<timestamp>.<body>" and refuses replays', () => {
    const config: WebhookSignatureConfig = {
      ...base,
      algorithm: 'sha256',
      encoding: 'hex',
      prefix: '',
      timestampHeader: 'X-Timestamp',
    };
    const signed = (at: number) => ({
      'x-timestamp': String(at),
      'x-signature': mac('sha256', `${at}.${body}`, 'hex'),
    });
    expect(reasonOf(config, secret, signed(seconds), Buffer.from(body), now)).toBe('ok');
    expect(reasonOf(config, secret, signed(stale), Buffer.from(body), now)).toBe('stale-timestamp');
    expect(reasonOf(config, secret, { 'x-signature': 'ab' }, Buffer.from(body), now)).toBe('missing-header');
  });

  it('never puts the expected signature in its message', () => {
    const expected = mac('sha512', body, 'base64');
    const result = verifySignature(base, secret, { 'x-signature': 'sha512=AAAA' }, Buffer.from(body), now);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain(expected);
    expect(JSON.stringify(result)).not.toContain(Buffer.from(expected, 'base64').toString('hex'));
  });
});
