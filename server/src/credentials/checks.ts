/**
 * The harmless checks behind `credentials.test`: each asks the service whether the credential
 * works and changes nothing. They run through the guarded outbound layer like any step, so a
 * credential cannot make this server reach an internal address.
 */
import { isRecord } from '@automateos/shared';
import nodemailer from 'nodemailer';
import type { Config } from '../config';
import type { OutboundHttp } from '../net/http-client';

export interface CheckContext {
  http: OutboundHttp;
  config: Pick<Config, 'NOTION_API_URL' | 'SLACK_API_URL'>;
  signal: AbortSignal;
}

export interface CheckResult {
  ok: boolean;
  message: string;
}

const CHECK_TIMEOUT_MS = 10_000;

/** The Notion API version the credential check (and the Notion steps) speak. */
export const NOTION_VERSION = '2025-09-03';

export const notionHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  'notion-version': NOTION_VERSION,
});

/** `base` + `path`, whether or not the configured base URL ends with a slash. */
export function apiUrl(base: string, path: string): URL {
  return new URL(path, base.endsWith('/') ? base : `${base}/`);
}

const text = (value: unknown) => (typeof value === 'string' ? value : undefined);

/** Notion's `GET /v1/users/me`: the bot user the token belongs to, and its workspace. */
export async function checkNotion(token: string, ctx: CheckContext): Promise<CheckResult> {
  const response = await ctx.http.request({
    method: 'GET',
    url: apiUrl(ctx.config.NOTION_API_URL, 'v1/users/me'),
    headers: notionHeaders(token),
    timeoutMs: CHECK_TIMEOUT_MS,
    signal: ctx.signal,
  });
  const body = isRecord(response.body) ? response.body : {};
  if (response.status === 200) {
    const name = text(body.name) ?? 'an integration';
    const workspace = isRecord(body.bot) ? text(body.bot.workspace_name) : undefined;
    return { ok: true, message: `Connected to Notion as ${name}${workspace ? ` in ${workspace}` : ''}.` };
  }
  const detail = [text(body.code), text(body.message)].filter(Boolean).join(': ');
  return {
    ok: false,
    message: `Notion answered ${response.status}${detail ? ` (${detail})` : ''}. Check the integration token.`,
  };
}

/** Slack's `auth.test` with a bot token: which workspace and bot user it is. */
export async function checkSlackToken(token: string, ctx: CheckContext): Promise<CheckResult> {
  const response = await ctx.http.request({
    method: 'POST',
    url: apiUrl(ctx.config.SLACK_API_URL, 'auth.test'),
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    timeoutMs: CHECK_TIMEOUT_MS,
    signal: ctx.signal,
  });
  const body = isRecord(response.body) ? response.body : {};
  if (response.status === 200 && body.ok === true) {
    const who = text(body.user) ?? 'the bot';
    const team = text(body.team);
    return { ok: true, message: `Connected to Slack as ${who}${team ? ` in ${team}` : ''}.` };
  }
  const error = text(body.error) ?? `HTTP ${response.status}`;
  return { ok: false, message: `Slack refused the token (${error}). Check the bot token.` };
}

/** What Slack answers to an empty message posted to a working incoming-webhook URL. */
const EMPTY_MESSAGE_ERRORS = ['no_text', 'missing_text_or_fallback_or_attachments', 'invalid_payload'];

/**
 * An incoming webhook has no read-only call, but Slack checks the URL before the message: an empty
 * one is refused with 400 `no_text` by a working URL, and with 403/404 (`invalid_token`,
 * `no_service`) by a revoked one. Nothing is posted either way.
 */
export async function checkSlackWebhook(webhookUrl: string, ctx: CheckContext): Promise<CheckResult> {
  const response = await ctx.http.request({
    method: 'POST',
    url: webhookUrl,
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs: CHECK_TIMEOUT_MS,
    signal: ctx.signal,
  });
  const answer = typeof response.body === 'string' ? response.body.trim().slice(0, 200) : '';
  if (response.status === 400 && EMPTY_MESSAGE_ERRORS.includes(answer)) {
    return {
      ok: true,
      message: 'The webhook URL works (Slack refused the empty test message, so nothing was posted).',
    };
  }
  if (response.status >= 200 && response.status < 300) {
    return { ok: true, message: `The webhook URL answered ${response.status}.` };
  }
  return {
    ok: false,
    message: `The webhook URL answered ${response.status}${answer ? ` (${answer})` : ''}: it may have been removed or revoked.`,
  };
}

export interface SmtpSettings {
  host: string;
  port: number;
  security: 'starttls' | 'tls' | 'none';
  username?: string | undefined;
  password?: string | undefined;
}

/**
 * A nodemailer transport whose connection is opened by the guarded outbound layer (the same
 * address policy as HTTP), never by nodemailer's own DNS lookup and connect. Used by the SMTP
 * check and by email steps.
 */
export function smtpTransport(settings: SmtpSettings, ctx: Pick<CheckContext, 'http' | 'signal'>) {
  return nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    ...(settings.username ? { auth: { user: settings.username, pass: settings.password ?? '' } } : {}),
    connectionTimeout: CHECK_TIMEOUT_MS,
    greetingTimeout: CHECK_TIMEOUT_MS,
    socketTimeout: CHECK_TIMEOUT_MS,
    logger: false,
    getSocket(_options, callback) {
      ctx.http
        .connect({
          hostname: settings.host,
          port: settings.port,
          timeoutMs: CHECK_TIMEOUT_MS,
          signal: ctx.signal,
        })
        .then(
          (socket) => {
            // nodemailer takes no signal: a stopping worker closes the connection under it.
            const onAbort = () => socket.destroy(ctx.signal.reason);
            ctx.signal.addEventListener('abort', onAbort, { once: true });
            socket.once('close', () => ctx.signal.removeEventListener('abort', onAbort));
            callback(null, { connection: socket });
          },
          (error: Error) => callback(error, false),
        );
    },
  });
}

/** Connects, starts TLS as configured, signs in, and disconnects: nodemailer's verify(). No mail is sent. */
export async function checkSmtp(settings: SmtpSettings, ctx: CheckContext): Promise<CheckResult> {
  const transport = smtpTransport(settings, ctx);
  try {
    await transport.verify();
    const signedIn = settings.username ? `, signed in as ${settings.username}` : '';
    return { ok: true, message: `Connected to ${settings.host}:${settings.port}${signedIn}.` };
  } catch (error) {
    return {
      ok: false,
      message: `The mail server check failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  } finally {
    transport.close();
  }
}
