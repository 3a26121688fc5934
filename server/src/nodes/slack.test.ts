/** The Send Slack message step against a local stand-in for Slack that checks every request's shape. */
import { type CredentialValue, slackConfigSchema } from '@automateos/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type FakeSlack, SLACK_BOT_TOKEN, startFakeSlack } from '../../test/fakes/slack';
import { publicApis, stepFailureOf } from '../../test/fixtures';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import { resolveStep } from './registry';
import { slackNode } from './slack';

const quiet = { info: () => {}, warn: () => {} };
const http = createOutboundHttp({ policy: createAddressPolicy('127.0.0.1/32') });
let slack: FakeSlack;

beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(async () => {
  await http.close();
  await slack.close();
});
beforeEach(() => slack.reset());

const bot = (token = SLACK_BOT_TOKEN): CredentialValue<'slack'> => ({
  id: 'c1',
  name: 'Team Slack',
  type: 'slack',
  data: { token },
});
const webhook = (): CredentialValue<'slack'> => ({
  id: 'c2',
  name: 'Alerts webhook',
  type: 'slack',
  data: { webhookUrl: slack.webhookUrl },
});
const ctx = (credential: CredentialValue<'slack'> = bot(), outbound = http) => ({
  signal: new AbortController().signal,
  http: outbound,
  apis: { ...publicApis, SLACK_API_URL: slack.apiUrl },
  log: quiet,
  credential,
});

function input(config: Record<string, unknown>, body: Record<string, unknown> = {}) {
  const saved = slackConfigSchema.parse({ credentialId: 'c1', ...config });
  return resolveStep({ type: 'slack', config: saved }, { trigger: { body }, steps: {} }).input;
}

describe('Send Slack message step', () => {
  it('posts with chat.postMessage (text, blocks, thread) and hands on channel, ts and the permalink', async () => {
    const outcome = await slackNode.run(
      input(
        {
          channel: '#general',
          text: 'Order {{ trigger.body.id }} shipped',
          blocks: [
            { type: 'section', text: { type: 'mrkdwn', text: '*Order {{ trigger.body.id }}* shipped' } },
          ],
          threadTs: '{{ trigger.body.thread }}',
        },
        { id: 42, thread: '1712345678.000001' },
      ),
      ctx(),
    );
    expect(outcome).toEqual({
      kind: 'continue',
      attempts: 1,
      output: {
        channel: 'C0GENERAL1',
        ts: '1712345678.000001',
        permalink: 'https://example.slack.com/archives/C0GENERAL1/p1712345678000001',
        via: 'botToken',
      },
    });
    expect(slack.problems).toEqual([]);
    const [post] = slack.calls;
    expect(post?.path).toBe('/api/chat.postMessage');
    expect(post?.headers.authorization).toBe(`Bearer ${SLACK_BOT_TOKEN}`);
    expect(post?.body).toMatchObject({
      channel: '#general',
      text: 'Order 42 shipped',
      thread_ts: '1712345678.000001',
    });
    expect(JSON.parse(String(post?.body.blocks))).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: '*Order 42* shipped' } },
    ]);
    expect(slack.calls.map((call) => call.path)).toEqual(['/api/chat.postMessage', '/api/chat.getPermalink']);
  });

  it.each([
    ['#missing', 'channel_not_found', /has no channel "#missing".*channel id/],
    ['#private', 'not_in_channel', /not a member of "#private": invite it/],
  ])('fails on ok:false for %s with Slack’s code %s and what to do', async (channel, code, advice) => {
    const failed = await stepFailureOf(slackNode.run(input({ channel, text: 'hi' }), ctx()));
    expect(failed.code).toBe(code);
    expect(failed.message).toMatch(advice);
    expect(slack.problems).toEqual([]);
  });

  it('fails on invalid_auth saying to copy the bot token again, without retrying', async () => {
    const failed = await stepFailureOf(
      slackNode.run(
        input({ channel: '#general', text: 'hi', retry: { attempts: 3, delayMs: 10 } }),
        ctx(bot('xoxb-revoked')),
      ),
    );
    expect(failed).toMatchObject({ code: 'invalid_auth', attempts: 1 });
    expect(failed.message).toMatch(/Bot User OAuth Token/);
    expect(slack.calls).toHaveLength(1);
  });

  it('waits out a 429 as Retry-After asks when the policy allows a retry; the SDK itself never retries', async () => {
    const failed = await stepFailureOf(slackNode.run(input({ channel: '#busy', text: 'hi' }), ctx()));
    expect(failed).toMatchObject({ code: 'RATE_LIMITED', attempts: 1 });
    expect(slack.calls).toHaveLength(1);

    slack.reset();
    const started = Date.now();
    const outcome = await slackNode.run(
      input({ channel: '#busy', text: 'hi', retry: { attempts: 2, backoff: 'fixed', delayMs: 10 } }),
      ctx(),
    );
    expect(outcome).toMatchObject({ attempts: 2, output: { channel: 'C0BUSY0001' } });
    console.info(`Slack 429 with Retry-After: 1 → retried after ${Date.now() - started} ms`);
    expect(slack.calls.filter((call) => call.path === '/api/chat.postMessage')).toHaveLength(2);
  });

  it('retries a 500 per the policy, then fails with the status', async () => {
    const failed = await stepFailureOf(
      slackNode.run(
        input({ channel: '#broken', text: 'hi', retry: { attempts: 2, backoff: 'fixed', delayMs: 10 } }),
        ctx(),
      ),
    );
    expect(failed).toMatchObject({ code: 'HTTP_STATUS', attempts: 3 });
    expect(failed.message).toBe('Slack answered HTTP 500 Internal Server Error');
    expect(slack.calls).toHaveLength(3);
  });

  it('posts through an incoming webhook, and explains a webhook error', async () => {
    const outcome = await slackNode.run(
      input({ text: 'Deploy {{ trigger.body.v }} done' }, { v: '1.2' }),
      ctx(webhook()),
    );
    expect(outcome).toEqual({ kind: 'continue', attempts: 1, output: { via: 'webhook' } });
    expect(slack.calls[0]?.body).toEqual({ text: 'Deploy 1.2 done' });
    expect(slack.problems).toEqual([]);

    const archived = await stepFailureOf(slackNode.run(input({ text: 'archived please' }), ctx(webhook())));
    expect(archived).toMatchObject({ code: 'channel_is_archived' });
    expect(archived.message).toMatch(/archived: unarchive it/);

    const withChannel = await stepFailureOf(
      slackNode.run(input({ channel: '#general', text: 'x' }), ctx(webhook())),
    );
    expect(withChannel.code).toBe('WEBHOOK_CHANNEL');
  });

  it('goes through the SSRF guard: an API or webhook URL on an internal address is blocked before any request', async () => {
    const strict = createOutboundHttp({ policy: createAddressPolicy('') });
    try {
      const viaToken = await stepFailureOf(
        slackNode.run(input({ channel: '#general', text: 'x' }), ctx(bot(), strict)),
      );
      expect(viaToken.code).toBe('BLOCKED_ADDRESS');
      const viaWebhook = await stepFailureOf(slackNode.run(input({ text: 'x' }), ctx(webhook(), strict)));
      expect(viaWebhook.code).toBe('BLOCKED_ADDRESS');
      expect(slack.calls).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('checks the message when saved and once resolved', async () => {
    expect(slackConfigSchema.safeParse({ credentialId: 'c1', channel: '#a' }).error?.issues[0]?.message).toBe(
      'Write the message text (or give blocks)',
    );
    expect(
      slackConfigSchema.safeParse({ credentialId: 'c1', text: 'x', blocks: [{ text: 'no type' }] }).error
        ?.issues[0]?.message,
    ).toBe('Every block needs a "type" (section, divider, header…)');
    const tooLong = await stepFailureOf(
      slackNode.run(
        input({ channel: '#general', text: '{{ trigger.body.t }}' }, { t: 'x'.repeat(40_001) }),
        ctx(),
      ),
    );
    expect(tooLong.code).toBe('INVALID_INPUT');
    expect(tooLong.message).toContain('at most 40000 characters');
    // Blocks from an expression may arrive as JSON text.
    const fromText = await slackNode.run(
      input({ channel: '#general', blocks: '{{ trigger.body.blocks }}' }, { blocks: '[{"type":"divider"}]' }),
      ctx(),
    );
    expect(fromText).toMatchObject({ kind: 'continue' });
    expect(slack.problems).toEqual([]);
  });
});
