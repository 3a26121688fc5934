import { z } from 'zod';
import { credentialIdSchema, retrySchema } from './http';
import { jsonValueSchema } from './json-value';
import { defineStepSpec } from './node-spec';
import { strictObject } from './schema-builders';

/** Slack cuts a message's text at 40,000 characters; the step refuses longer rather than lose the end. */
export const MAX_SLACK_TEXT = 40_000;
/** Most blocks one message may carry (Block Kit). */
export const MAX_SLACK_BLOCKS = 50;

const text = z
  .string({ error: 'Text must be text' })
  .max(MAX_SLACK_TEXT, `Slack messages are at most ${MAX_SLACK_TEXT} characters; shorten the text`);

const channel = z
  .string({ error: 'Channel must be text' })
  .trim()
  .max(200, 'Channel is a channel id (C0123456789) or a name (#general)');

/** A message's `ts`, which names the parent when replying in a thread: digits, a dot, digits. */
const threadTs = z
  .string({ error: 'Thread must be text' })
  .trim()
  .max(40, 'Thread is the ts of the parent message, e.g. 1712345678.123456');

/** Block Kit blocks: a list of objects, each with its `type` (section, divider, header…). */
const blocksList = z
  .array(
    z.looseObject({ type: z.string({ error: 'Every block needs a "type" (section, divider, header…)' }) }),
    { error: 'Blocks must be a list of Block Kit blocks: [{ "type": "section", … }]' },
  )
  .max(MAX_SLACK_BLOCKS, `A message has at most ${MAX_SLACK_BLOCKS} blocks`);

function textOrBlocks(config: { text: string; blocks?: unknown }, ctx: z.RefinementCtx) {
  if (config.text.trim() === '' && config.blocks === undefined)
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'Write the message text (or give blocks)' });
}

export const slackConfigSchema = strictObject({
  credentialId: credentialIdSchema,
  /** Required with a bot token; an incoming webhook posts to its own channel. */
  channel: channel.default(''),
  text: text.default(''),
  /** Block Kit JSON as saved: a list of blocks, or an expression that gives one. */
  blocks: jsonValueSchema
    .superRefine((value, ctx) => {
      if (typeof value === 'string') return; // an expression, checked once resolved
      const checked = blocksList.safeParse(value);
      if (!checked.success)
        for (const issue of checked.error.issues) ctx.addIssue({ ...issue, code: 'custom' });
    })
    .optional(),
  threadTs: threadTs.optional(),
  retry: retrySchema.prefault({}),
}).superRefine(textOrBlocks);
export type SlackConfig = z.output<typeof slackConfigSchema>;

const sentAsText = (schema: z.ZodType<string>) =>
  z.preprocess(
    (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
    schema,
  );

export const slackInputSchema = strictObject({
  credentialId: credentialIdSchema,
  channel: sentAsText(channel).default(''),
  text: sentAsText(text).default(''),
  // An expression that gave Block Kit as JSON text is read as JSON.
  blocks: z
    .preprocess((value) => {
      if (typeof value !== 'string') return value;
      try {
        return JSON.parse(value);
      } catch {
        return value;
      }
    }, blocksList)
    .optional(),
  threadTs: sentAsText(threadTs)
    .refine(
      (ts) => ts === '' || /^\d+\.\d+$/.test(ts),
      'Thread is the ts of the parent message, e.g. 1712345678.123456',
    )
    .optional(),
  retry: retrySchema.prefault({}),
}).superRefine(textOrBlocks);
export type SlackInput = z.output<typeof slackInputSchema>;

export const slackOutputSchema = z.object({
  channel: z.string().optional().describe('The channel id the message was posted in (bot token)'),
  ts: z.string().optional().describe('The message ts: reply in its thread with it'),
  permalink: z.string().optional().describe('A link to the message'),
  /** How it was posted: with a bot token (chat.postMessage) or an incoming webhook. */
  via: z.enum(['botToken', 'webhook']),
});
export type SlackOutput = z.output<typeof slackOutputSchema>;

export const slackStepType = defineStepSpec({
  type: 'slack',
  title: 'Send Slack message',
  description: 'Posts a message to a Slack channel with a bot token, or through an incoming webhook.',
  configSchema: slackConfigSchema,
  inputSchema: slackInputSchema,
  outputSchema: slackOutputSchema,
  auth: { types: ['slack'], path: ['credentialId'], required: true },
  defaults: (): SlackConfig => ({
    credentialId: '',
    channel: '',
    text: '',
    retry: { attempts: 0, backoff: 'exponential', delayMs: 1000 },
  }),
});
