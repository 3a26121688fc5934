/**
 * A stand-in for Slack's Web API and incoming webhooks on loopback: the few endpoints the Slack step
 * uses, each request checked against the shapes of Slack's reference (docs.slack.dev/reference/methods/
 * chat.postMessage, chat.getPermalink; messaging/sending-messages-using-incoming-webhooks). A request
 * that does not fit is answered the way Slack answers one (`invalid_arguments`) and kept in `problems`,
 * so a test that ends with problems left sent something Slack would refuse.
 *
 * Scripted answers: the token `xoxb-revoked` → invalid_auth; channels `#missing` → channel_not_found,
 * `#private` → not_in_channel, `#busy` → 429 with Retry-After: 1 (once per channel), `#broken` → 500.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isRecord } from '@automateos/shared';
import { z } from 'zod';

export const SLACK_BOT_TOKEN = 'xoxb-1234-5678-good-bot-token';
export const SLACK_WEBHOOK_PATH = '/services/T0001/B0001/webhooksecretpart1234';

const blocksJson = z.string().transform((text, ctx) => {
  try {
    return z
      .array(z.looseObject({ type: z.string() }))
      .max(50)
      .parse(JSON.parse(text));
  } catch {
    ctx.addIssue('blocks must be a JSON-encoded array of blocks');
    return z.NEVER;
  }
});

/** chat.postMessage's arguments as the reference lists them (the ones a message step can send). */
const postMessageSchema = z.strictObject({
  channel: z.string().min(1),
  text: z.string().max(40_000).optional(),
  blocks: blocksJson.optional(),
  thread_ts: z
    .string()
    .regex(/^\d+\.\d+$/)
    .optional(),
});
const getPermalinkSchema = z.strictObject({
  channel: z.string().regex(/^[CGD][A-Z0-9]+$/),
  message_ts: z.string(),
});
const webhookSchema = z.strictObject({
  text: z.string(),
  blocks: z
    .array(z.looseObject({ type: z.string() }))
    .max(50)
    .optional(),
});

export interface SlackCall {
  path: string;
  /** The form or JSON fields, as parsed. */
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
}

export interface FakeSlack {
  url: string;
  /** What SLACK_API_URL is set to. */
  apiUrl: string;
  webhookUrl: string;
  calls: SlackCall[];
  problems: string[];
  reset(): void;
  close(): Promise<void>;
}

/** Channel ids by name, as Slack resolves a `#name` to the channel it posts in. */
const CHANNEL_IDS: Record<string, string> = {
  '#general': 'C0GENERAL1',
  general: 'C0GENERAL1',
  '#busy': 'C0BUSY0001',
};

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export async function startFakeSlack(): Promise<FakeSlack> {
  const calls: SlackCall[] = [];
  const problems: string[] = [];
  const rateLimited = new Set<string>();
  let messages = 0;

  const server: Server = createServer(async (req, res) => {
    const raw = await read(req);
    const path = req.url ?? '';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/html' : 'application/json; charset=utf-8',
        ...headers,
      });
      res.end(text);
    };
    const refuse = (problem: string) => {
      problems.push(`${path}: ${problem}`);
      send(200, { ok: false, error: 'invalid_arguments', response_metadata: { messages: [problem] } });
    };

    if (req.method === 'POST' && path === SLACK_WEBHOOK_PATH) {
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        problems.push(`${path}: body is not JSON`);
        return send(400, 'invalid_payload');
      }
      calls.push({ path, body: isRecord(json) ? json : {}, headers: req.headers });
      if (!/^application\/json/.test(req.headers['content-type'] ?? '')) problems.push(`${path}: not JSON`);
      const checked = webhookSchema.safeParse(json);
      if (!checked.success) {
        problems.push(`${path}: ${checked.error.message}`);
        return send(400, 'invalid_payload');
      }
      if (checked.data.text === 'archived please') return send(410, 'channel_is_archived');
      return send(200, 'ok');
    }

    const method = /^\/api\/([a-zA-Z.]+)$/.exec(path)?.[1];
    if (req.method !== 'POST' || !method) return send(404, { ok: false, error: 'unknown_method' });
    const form = Object.fromEntries(new URLSearchParams(raw));
    calls.push({ path, body: form, headers: req.headers });
    if (req.headers['content-type'] !== 'application/x-www-form-urlencoded')
      return refuse(`content-type ${req.headers['content-type']} is not form-encoded`);
    const token = /^Bearer (xoxb-[\w-]+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) return refuse('no Bearer xoxb- token in Authorization');
    if (token !== SLACK_BOT_TOKEN) return send(200, { ok: false, error: 'invalid_auth' });

    if (method === 'chat.postMessage') {
      const checked = postMessageSchema.safeParse(form);
      if (!checked.success) return refuse(checked.error.message);
      const { channel } = checked.data;
      if (channel === '#missing') return send(200, { ok: false, error: 'channel_not_found' });
      if (channel === '#private') return send(200, { ok: false, error: 'not_in_channel' });
      if (channel === '#broken') return send(500, '<html>Internal Server Error</html>');
      if (channel === '#busy' && !rateLimited.has(channel)) {
        rateLimited.add(channel);
        return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
      }
      const id = CHANNEL_IDS[channel] ?? channel;
      if (!/^[CGD][A-Z0-9]+$/.test(id)) return send(200, { ok: false, error: 'channel_not_found' });
      messages++;
      const ts = `1712345678.${String(messages).padStart(6, '0')}`;
      return send(200, {
        ok: true,
        channel: id,
        ts,
        message: { type: 'message', text: checked.data.text ?? '', ts, bot_id: 'B0BOT' },
      });
    }
    if (method === 'chat.getPermalink') {
      const checked = getPermalinkSchema.safeParse(form);
      if (!checked.success) return refuse(checked.error.message);
      const { channel, message_ts } = checked.data;
      return send(200, {
        ok: true,
        channel,
        permalink: `https://example.slack.com/archives/${channel}/p${message_ts.replace('.', '')}`,
      });
    }
    return send(200, { ok: false, error: 'unknown_method' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/`,
    webhookUrl: `${url}${SLACK_WEBHOOK_PATH}`,
    calls,
    problems,
    reset() {
      calls.length = 0;
      problems.length = 0;
      rateLimited.clear();
      messages = 0;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
