import { isRecord, type SlackInput, slackStepType } from '@automateos/shared';
import {
  type ChatPostMessageArguments,
  type FetchFunction,
  type Logger,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from '@slack/web-api';
import { HttpStepError, isRetryableStatus } from '../net/http-client';
import { TransientFailure, withRetries } from './retry';
import { defineNode, type StepContext, StepFailure } from './types';

const REQUEST_TIMEOUT_MS = 15_000;

/** What to do about each `ok: false` a user can fix, in a sentence; other codes are shown as Slack gave them. */
function platformAdvice(error: string, channel: string): string {
  switch (error) {
    case 'channel_not_found':
      return `Slack has no channel "${channel}" that the bot can see: check the name, or use the channel id (C0123456789, under the channel's name → About); a private channel must have the bot in it.`;
    case 'not_in_channel':
      return `The bot is not a member of "${channel}": invite it there (/invite @your-app), or give the app the chat:write.public scope to post in public channels without joining.`;
    case 'is_archived':
      return `"${channel}" is archived: unarchive it or pick another channel.`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return 'Slack refused the bot token: it is wrong or was revoked. Copy the Bot User OAuth Token (xoxb-…) from api.slack.com/apps → your app → OAuth & Permissions into the credential again.';
    case 'missing_scope':
      return 'The bot token lacks the chat:write scope: add it under OAuth & Permissions and reinstall the app.';
    case 'invalid_blocks':
    case 'invalid_blocks_format':
      return 'Slack refused the blocks: check them in the Block Kit Builder (app.slack.com/block-kit-builder).';
    case 'msg_too_long':
      return 'The message is too long for Slack: shorten the text.';
    case 'no_text':
      return 'The message has no text: write some, or give blocks.';
    default:
      return `Slack refused the message (${error}).`;
  }
}

/** Silences the SDK: what it would log, the step log says in its own words. */
const silent: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

/** The SDK's fetch: the guarded outbound layer, stopping when the worker stops. */
function guardedFetch(ctx: StepContext): FetchFunction {
  return (url, init = {}) => {
    const { body, signal, ...rest } = init;
    // The step sends form-encoded text only; a FormData body would be a file upload, which it never makes.
    if (body !== undefined && typeof body !== 'string')
      return Promise.reject(new Error('The Slack step does not upload files.'));
    return ctx.http.fetch(url, {
      ...rest,
      ...(body !== undefined ? { body } : {}),
      signal: signal ? AbortSignal.any([signal, ctx.signal]) : ctx.signal,
    });
  };
}

/** A bot-token call's failure in the step log's words; transient when the step's retry policy may repeat it. */
function webApiFailure(error: unknown, channel: string): StepFailure | TransientFailure {
  if (error instanceof WebAPIPlatformError) {
    const { error: code } = error.data;
    const details = error.data.response_metadata?.messages?.join('; ');
    const failure = new StepFailure(
      `${platformAdvice(code, channel)}${details ? ` Slack said: ${details}` : ''}`,
      code,
      1,
      error.data,
    );
    return code === 'ratelimited' || code === 'service_unavailable' ? new TransientFailure(failure) : failure;
  }
  if (error instanceof WebAPIRateLimitedError) {
    return new TransientFailure(
      new StepFailure(
        `Slack is rate-limiting this app: it asked to wait ${error.retryAfter} s.`,
        'RATE_LIMITED',
      ),
      String(error.retryAfter),
    );
  }
  if (error instanceof WebAPIHTTPError) {
    const failure = new StepFailure(
      `Slack answered HTTP ${error.statusCode} ${error.statusMessage}`.trim(),
      'HTTP_STATUS',
      1,
      { status: error.statusCode, body: error.body },
    );
    return isRetryableStatus(error.statusCode)
      ? new TransientFailure(failure, error.headers['retry-after'] ?? null)
      : failure;
  }
  const cause = error instanceof WebAPIRequestError ? error.original : error;
  if (cause instanceof HttpStepError) {
    const failure = new StepFailure(cause.message, cause.code);
    return cause.retryable ? new TransientFailure(failure) : failure;
  }
  return new StepFailure(
    `Slack could not be reached: ${cause instanceof Error ? cause.message : String(cause)}`,
    'NETWORK',
  );
}

/** chat.postMessage's arguments, checked against the SDK's own parameter type. */
function postMessageArguments(input: SlackInput): ChatPostMessageArguments {
  const blocks = input.blocks ? { blocks: input.blocks } : {};
  const thread = input.threadTs ? { thread_ts: input.threadTs } : {};
  return {
    channel: input.channel,
    text: input.text,
    ...blocks,
    ...thread,
  } satisfies ChatPostMessageArguments;
}

async function postWithToken(input: SlackInput, token: string, ctx: StepContext) {
  if (input.channel === '')
    throw new StepFailure(
      'Name the channel to post in: an id (C0123456789) or a name (#general).',
      'CHANNEL_REQUIRED',
    );
  const client = new WebClient(token, {
    slackApiUrl: ctx.apis.SLACK_API_URL,
    fetch: guardedFetch(ctx),
    // One retry policy, the step's: the SDK neither retries nor waits out a rate limit itself.
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: REQUEST_TIMEOUT_MS,
    logger: silent,
    allowAbsoluteUrls: false,
  });
  const { result: posted, attempts } = await withRetries(input.retry, ctx.signal, async () => {
    try {
      return await client.chat.postMessage(postMessageArguments(input));
    } catch (error) {
      ctx.signal.throwIfAborted();
      throw webApiFailure(error, input.channel);
    }
  });
  const channel = posted.channel ?? input.channel;
  const ts = posted.ts;
  // The link is a nicety: a token without the scope for it still posted the message.
  const permalink = ts
    ? await client.chat.getPermalink({ channel, message_ts: ts }).then(
        (answer) => answer.permalink,
        () => {
          ctx.signal.throwIfAborted();
          return undefined;
        },
      )
    : undefined;
  return {
    attempts,
    output: {
      channel,
      ...(ts ? { ts } : {}),
      ...(permalink ? { permalink } : {}),
      via: 'botToken' as const,
    },
  };
}

/** What an incoming webhook answers (a plain-text code), as advice. */
const WEBHOOK_ADVICE: Record<string, string> = {
  invalid_payload: 'Slack refused the message (invalid_payload): check the blocks.',
  no_text: 'The message has no text: write some, or give blocks.',
  invalid_token:
    'The webhook URL was revoked: make a new incoming webhook and put its URL in the credential.',
  no_service: 'The webhook URL was removed or its app uninstalled: make a new incoming webhook.',
  no_team: 'The workspace of this webhook URL no longer exists.',
  team_disabled: 'The workspace of this webhook URL no longer exists.',
  channel_not_found: 'The channel of this webhook URL was deleted: make a new incoming webhook.',
  channel_is_archived: 'The channel of this webhook URL is archived: unarchive it or make a new webhook.',
  action_prohibited: 'A workspace admin restricted posting to this channel.',
};

async function postWithWebhook(input: SlackInput, webhookUrl: string, ctx: StepContext) {
  if (input.channel !== '' || input.threadTs)
    throw new StepFailure(
      'An incoming webhook posts to the channel it was made for and cannot reply in threads: leave Channel and Thread empty, or use a bot-token credential.',
      'WEBHOOK_CHANNEL',
    );
  const body = JSON.stringify({ text: input.text, ...(input.blocks ? { blocks: input.blocks } : {}) });
  const { attempts } = await withRetries(input.retry, ctx.signal, async () => {
    let response: Awaited<ReturnType<typeof ctx.http.request>>;
    try {
      response = await ctx.http.request({
        method: 'POST',
        url: webhookUrl,
        headers: { 'content-type': 'application/json' },
        body,
        timeoutMs: REQUEST_TIMEOUT_MS,
        signal: ctx.signal,
        // A webhook answers "ok" or an error code: nothing to follow, little to read.
        maxRedirects: 0,
        maxResponseBytes: 64 * 1024,
      });
    } catch (error) {
      if (!(error instanceof HttpStepError)) throw error;
      const failure = new StepFailure(error.message, error.code);
      throw error.retryable ? new TransientFailure(failure) : failure;
    }
    if (response.status >= 200 && response.status < 300) return;
    const code = typeof response.body === 'string' ? response.body.trim().slice(0, 100) : '';
    const failure = new StepFailure(
      WEBHOOK_ADVICE[code] ?? `The incoming webhook answered ${response.status}${code ? ` (${code})` : ''}.`,
      code && /^[a-z_]+$/.test(code) ? code : 'HTTP_STATUS',
      1,
      { status: response.status, body: response.body },
    );
    throw isRetryableStatus(response.status)
      ? new TransientFailure(failure, response.headers['retry-after'] ?? null)
      : failure;
  });
  return { attempts, output: { via: 'webhook' as const } };
}

export const slackNode = defineNode(slackStepType, {
  /** The log names the credential and how it posts, never the token or the webhook URL. */
  loggedInput(input, credential) {
    if (!isRecord(input) || !credential) return input;
    const data: Record<string, unknown> = credential.data;
    return { ...input, credential: credential.name, via: data.token ? 'botToken' : 'webhook' };
  },

  async run(input, ctx) {
    const { token, webhookUrl } = ctx.credential.data;
    const { attempts, output } = token
      ? await postWithToken(input, token, ctx)
      : await postWithWebhook(input, webhookUrl ?? '', ctx);
    return { kind: 'continue', attempts, output };
  },
});
