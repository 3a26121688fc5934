/** The Send email step against a real SMTP server (smtp-server, with AUTH), read back with mailparser. */

import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:net';
import { type CredentialValue, emailConfigSchema } from '@automateos/shared';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { publicApis, stepFailureOf } from '../../test/fixtures';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import { emailNode } from './email';
import { resolveStep } from './registry';

const quiet = { info: () => {}, warn: () => {} };
const http = createOutboundHttp({ policy: createAddressPolicy('127.0.0.1/32') });

interface Received {
  envelope: { from: string; to: string[] };
  mail: ParsedMail;
}
let smtp: SMTPServer;
let port: number;
let received: Received[] = [];
/** What the server answers to RCPT TO for an address, per test. */
let rcpt: (address: string) => { code: number; message: string } | undefined = () => undefined;
let connections = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    onConnect(_session, callback) {
      connections++;
      callback();
    },
    onAuth(auth, _session, callback) {
      if (auth.username === 'ada' && auth.password === 'app-password-1234')
        return callback(null, { user: 'ada' });
      callback(Object.assign(new Error('5.7.8 Username and Password not accepted'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      const answer = rcpt(address.address);
      if (!answer) return callback();
      callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
    },
    onData(stream, session, callback) {
      simpleParser(stream).then((mail) => {
        received.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((to) => to.address),
          },
          mail,
        });
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  port = (smtp.server.address() as AddressInfo).port;
});
afterAll(async () => {
  await http.close();
  await new Promise<void>((resolve) => smtp.close(resolve));
});
beforeEach(() => {
  received = [];
  rcpt = () => undefined;
  connections = 0;
});

const credential = (overrides: Partial<CredentialValue<'smtp'>['data']> = {}): CredentialValue<'smtp'> => ({
  id: 'c1',
  name: 'Mail',
  type: 'smtp',
  data: {
    host: '127.0.0.1',
    port,
    security: 'none',
    username: 'ada',
    password: 'app-password-1234',
    from: 'Example Ops <ops@example.com>',
    ...overrides,
  },
});
const ctx = (cred = credential(), policy = http) => ({
  signal: new AbortController().signal,
  http: policy,
  apis: publicApis,
  log: quiet,
  credential: cred,
});

/** A saved config, resolved against a trigger payload the way the engine does it. */
function input(config: Record<string, unknown>, body: Record<string, unknown> = {}) {
  const saved = emailConfigSchema.parse({ credentialId: 'c1', subject: 'Hello', text: 'Hi', ...config });
  return resolveStep({ type: 'email', config: saved }, { trigger: { body }, steps: {} }).input;
}

describe('Send email step', () => {
  it('signs in and sends to, cc and bcc with both bodies; the headers and envelope are what was asked', async () => {
    const outcome = await emailNode.run(
      input(
        {
          to: '"Lovelace, Ada" <ada@example.com>, {{ trigger.body.email }}',
          cc: 'team@example.com',
          bcc: 'archive@example.com',
          replyTo: 'support@example.com',
          subject: 'Order {{ trigger.body.id }} shipped',
          text: 'Order {{ trigger.body.id }} is on its way.',
          html: '<p>Order <b>{{ trigger.body.id }}</b> is on its way.</p>',
        },
        { email: 'grace@example.org', id: 42 },
      ),
      ctx(),
    );
    expect(outcome).toMatchObject({
      kind: 'continue',
      attempts: 1,
      output: {
        accepted: ['ada@example.com', 'grace@example.org', 'team@example.com', 'archive@example.com'],
        rejected: [],
      },
    });
    const [sent] = received;
    expect(received).toHaveLength(1);
    expect(sent?.envelope).toEqual({
      from: 'ops@example.com',
      to: ['ada@example.com', 'grace@example.org', 'team@example.com', 'archive@example.com'],
    });
    const mail = sent?.mail;
    expect(mail?.subject).toBe('Order 42 shipped');
    expect(mail?.text?.trim()).toBe('Order 42 is on its way.');
    expect(mail?.html).toBe('<p>Order <b>42</b> is on its way.</p>');
    expect(mail?.from?.value).toEqual([{ name: 'Example Ops', address: 'ops@example.com' }]);
    const to = Array.isArray(mail?.to) ? mail.to.flatMap((list) => list.value) : (mail?.to?.value ?? []);
    expect(to).toEqual([
      { name: 'Lovelace, Ada', address: 'ada@example.com' },
      { name: '', address: 'grace@example.org' },
    ]);
    expect(mail?.headers.get('cc')).toMatchObject({ text: 'team@example.com' });
    expect(mail?.headers.get('reply-to')).toMatchObject({ text: 'support@example.com' });
    // Bcc goes in the envelope only.
    expect(mail?.headers.has('bcc')).toBe(false);
    expect(mail?.messageId).toBe((outcome as { output: { messageId: string } }).output.messageId);
  });

  it('a subject with a line break from the payload stays one header line', async () => {
    await emailNode.run(
      input(
        { to: 'ada@example.com', subject: 'Hi {{ trigger.body.name }}' },
        { name: 'x\r\nBcc: evil@example.com' },
      ),
      ctx(),
    );
    expect(received[0]?.mail.subject).toBe('Hi x Bcc: evil@example.com');
    expect(received[0]?.envelope.to).toEqual(['ada@example.com']);
  });

  it('reports a recipient the server refuses, and fails when it refuses every one', async () => {
    rcpt = (address) =>
      address === 'nobody@example.com' ? { code: 550, message: '5.1.1 No such user' } : undefined;
    const outcome = await emailNode.run(input({ to: 'ada@example.com, nobody@example.com' }), ctx());
    expect(outcome).toMatchObject({
      output: { accepted: ['ada@example.com'], rejected: ['nobody@example.com'] },
    });
    expect(received[0]?.envelope.to).toEqual(['ada@example.com']);

    const refused = await stepFailureOf(emailNode.run(input({ to: 'nobody@example.com' }), ctx()));
    expect(refused.code).toBe('SMTP_REJECTED');
    expect(refused.message).toContain('nobody@example.com');
    expect(refused.attempts).toBe(1);
  });

  it('retries a 4xx answer (try again later) per the policy', async () => {
    let tries = 0;
    rcpt = () => (++tries < 3 ? { code: 451, message: '4.7.1 Greylisted, try again' } : undefined);
    const outcome = await emailNode.run(
      input({ to: 'ada@example.com', retry: { attempts: 3, backoff: 'fixed', delayMs: 10 } }),
      ctx(),
    );
    expect(outcome).toMatchObject({ kind: 'continue', attempts: 3 });
    expect(received).toHaveLength(1);
  });

  it('fails with what to do when the password is wrong, without retrying or showing it', async () => {
    const wrong = await stepFailureOf(
      emailNode.run(
        input({ to: 'ada@example.com', retry: { attempts: 2, delayMs: 10 } }),
        ctx(credential({ password: 'wrong-password' })),
      ),
    );
    expect(wrong.code).toBe('SMTP_AUTH');
    expect(wrong.attempts).toBe(1);
    expect(wrong.message).toMatch(/Check the user name and password .*app password/);
    expect(received).toHaveLength(0);
  });

  it('fails clearly, after the retries, when the server drops the connection', async () => {
    let accepted = 0;
    const dropper: Server = createServer((socket) => {
      accepted++;
      socket.write('220 drop.example.com ESMTP\r\n');
      socket.once('data', () => socket.destroy());
    });
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    try {
      const dropped = await stepFailureOf(
        emailNode.run(
          input({ to: 'ada@example.com', retry: { attempts: 1, backoff: 'fixed', delayMs: 10 } }),
          ctx(credential({ port: (dropper.address() as AddressInfo).port })),
        ),
      );
      expect(dropped.attempts).toBe(2);
      expect(accepted).toBe(2);
      expect(dropped.message).toMatch(/^Sending failed: .*(closed|ended)/i);
    } finally {
      dropper.close();
    }
  });

  it('goes through the address policy: an internal mail server is blocked before any connection', async () => {
    const strict = createOutboundHttp({ policy: createAddressPolicy('') });
    try {
      const blocked = await stepFailureOf(
        emailNode.run(input({ to: 'ada@example.com' }), ctx(credential(), strict)),
      );
      expect(blocked.code).toBe('BLOCKED_ADDRESS');
      expect(blocked.message).toMatch(/internal addresses are refused/);
      expect(connections).toBe(0);
    } finally {
      await strict.close();
    }
  });

  it('checks literal addresses when saved and resolved ones when run', async () => {
    const saved = emailConfigSchema.safeParse({
      credentialId: 'c1',
      to: 'ada@example.com, not-an-address',
      cc: '{{ trigger.body.cc }}',
      subject: 'x',
      text: 'y',
    });
    expect(saved.success).toBe(false);
    expect(saved.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      [
        'to',
        '"not-an-address" is not an email address: write name@example.com or Name <name@example.com>, separated by commas',
      ],
    ]);
    expect(
      emailConfigSchema.safeParse({ credentialId: 'c1', to: 'a@example.com', subject: 'x' }).error?.issues[0]
        ?.message,
    ).toBe('Write a text body, an HTML body or both');

    const resolved = await stepFailureOf(
      emailNode.run(
        input({ to: 'ada@example.com', cc: '{{ trigger.body.cc }}' }, { cc: 'bob at example' }),
        ctx(),
      ),
    );
    expect(resolved.code).toBe('INVALID_INPUT');
    expect(resolved.message).toContain('"bob at example" is not an email address');
    expect(connections).toBe(0);
  });

  it('logs the credential by name and server, never the password', () => {
    const logged = emailNode.loggedInput(input({ to: 'ada@example.com' }), credential());
    expect(logged).toMatchObject({
      credential: 'Mail',
      server: `127.0.0.1:${port}`,
      from: 'Example Ops <ops@example.com>',
    });
    expect(JSON.stringify(logged)).not.toContain('app-password-1234');
  });
});
