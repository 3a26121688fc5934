import { z } from 'zod';
import { HEADER_NAME } from '../credentials/headers';
import { defineTriggerSpec } from './node-spec';
import { strictObject } from './schema-builders';

/** `ANY` accepts every method; the others accept only that method, answering 404 otherwise. */
export const webhookMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'] as const;
export type WebhookMethod = (typeof webhookMethods)[number];

/** The senders whose signature schemes are built in, and `hmac` for any other HMAC over the body. */
export const signaturePresets = ['standardWebhooks', 'stripe', 'github', 'slack', 'hmac'] as const;
export type SignaturePreset = (typeof signaturePresets)[number];

export const signaturePresetTitles: Record<SignaturePreset, string> = {
  standardWebhooks: 'Standard Webhooks (Svix, Resend, Clerk…)',
  stripe: 'Stripe',
  github: 'GitHub',
  slack: 'Slack',
  hmac: 'Custom HMAC',
};

const credentialId = z
  .string({ error: 'Pick the credential that holds the signing secret' })
  .min(1, 'Pick the credential that holds the signing secret');

const headerName = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(256, `${label} must be at most 256 characters`)
    .regex(HEADER_NAME, `${label}: use letters, digits and - (e.g. X-Signature)`);

const presetSignature = <Preset extends Exclude<SignaturePreset, 'hmac'>>(preset: Preset) =>
  strictObject({ preset: z.literal(preset), credentialId });

export const hmacAlgorithms = ['sha256', 'sha512', 'sha1'] as const;

export const webhookSignatureSchema = z.discriminatedUnion(
  'preset',
  [
    presetSignature('standardWebhooks'),
    presetSignature('stripe'),
    presetSignature('github'),
    presetSignature('slack'),
    strictObject({
      preset: z.literal('hmac'),
      credentialId,
      header: headerName('Signature header'),
      algorithm: z.enum(hmacAlgorithms).default('sha256'),
      encoding: z.enum(['hex', 'base64']).default('hex'),
      /** Text before the signature in the header, e.g. `sha256=`. */
      prefix: z.string().max(64, 'Prefix must be at most 64 characters').default(''),
      /**
       * A header carrying the time of sending (Unix seconds): then the signed content is
       * `<timestamp>.<body>` and requests older than 5 minutes are refused.
       */
      timestampHeader: headerName('Timestamp header').optional(),
    }),
  ],
  { error: `Signature preset must be one of ${signaturePresets.join(', ')}` },
);
export type WebhookSignatureConfig = z.output<typeof webhookSignatureSchema>;

export const IDEMPOTENCY_MAX_TTL_HOURS = 24 * 7;

export const webhookIdempotencySchema = strictObject({
  enabled: z.boolean().default(true),
  /** The request header holding the key. */
  header: headerName('Idempotency header').default('Idempotency-Key'),
  /** How long a key is remembered. */
  ttlHours: z
    .number()
    .int('Hours must be a whole number')
    .min(1, 'Keep keys at least 1 hour')
    .max(IDEMPOTENCY_MAX_TTL_HOURS, `Keep keys at most ${IDEMPOTENCY_MAX_TTL_HOURS} hours`)
    .default(24),
  /**
   * Use the signature scheme's own delivery id when there is one (`webhook-id`,
   * `X-GitHub-Delivery`, the Stripe event's `id`), the header otherwise.
   */
  deliveryId: z.boolean().default(false),
});
export type WebhookIdempotencyConfig = z.output<typeof webhookIdempotencySchema>;

export const MAX_RESPONSE_WAIT_MS = 30_000;
export const webhookResponseModes = ['immediately', 'whenFinished'] as const;

export const webhookResponseSchema = strictObject({
  mode: z.enum(webhookResponseModes, { error: 'Response mode must be immediately or whenFinished' }),
  /** How long to wait for the execution before answering 202 with its id. */
  timeoutMs: z
    .number()
    .int()
    .min(100, 'Wait at least 100 ms')
    .max(MAX_RESPONSE_WAIT_MS, `Wait at most ${MAX_RESPONSE_WAIT_MS / 1000} s`)
    .default(10_000),
  /** The step whose output is the answer; the last step that ran when left out. */
  stepId: z.string().max(64).optional(),
  statusCode: z
    .number()
    .int()
    .min(200, 'Status code must be 200–599')
    .max(599, 'Status code must be 200–599')
    .default(200),
  headers: z
    .record(
      headerName('Header name'),
      z
        .string()
        .max(2048)
        .refine((value) => !/[\r\n]/.test(value), 'Header values cannot contain line breaks')
        // What HTTP (and Node) can send in a header: tab, visible ASCII and space, and Latin-1.
        .refine(
          (value) => /^[\t\x20-\x7e\x80-\xff]*$/.test(value),
          'Header values can hold tab, printable ASCII and Latin-1 characters only',
        ),
    )
    .default({}),
});
export type WebhookResponseConfig = z.output<typeof webhookResponseSchema>;

export const webhookTriggerConfigSchema = strictObject({
  method: z
    .enum(webhookMethods, { error: `Webhook method must be one of ${webhookMethods.join(', ')}` })
    .default('POST'),
  /** Refuse requests (401) that do not carry the sender's valid signature. */
  signature: webhookSignatureSchema.optional(),
  /** Answer a repeated delivery with the original execution instead of starting another. */
  idempotency: webhookIdempotencySchema.optional(),
  /** `whenFinished`: answer with the workflow's result instead of 202 at once. */
  response: webhookResponseSchema.optional(),
});
export type WebhookTriggerConfig = z.output<typeof webhookTriggerConfigSchema>;

/**
 * What a webhook execution stores: the request, without the credentials meant for us. Loose, so
 * reading a row written by a later version keeps the fields it added.
 */
export const webhookTriggerDataSchema = z.looseObject({
  method: z.string(),
  path: z.string(),
  query: z.record(z.string(), z.unknown()),
  headers: z.record(z.string(), z.string()),
  body: z.unknown(),
  receivedAt: z.string().optional(),
});
export type WebhookTriggerData = z.output<typeof webhookTriggerDataSchema>;

export const webhookTriggerType = defineTriggerSpec({
  type: 'webhook',
  title: 'Webhook',
  description: "Runs the workflow when an HTTP request arrives at the workflow's webhook URL.",
  configSchema: webhookTriggerConfigSchema.prefault({}),
  defaults: (): WebhookTriggerConfig => ({ method: 'POST' }),
  dataSchema: webhookTriggerDataSchema,
  auth: { types: ['webhookSecret'], path: ['signature', 'credentialId'], required: false },
  fields: {
    body: 'The request body, e.g. trigger.body.user.id',
    query: 'Query parameters, e.g. trigger.query.page',
    headers: 'Request headers, e.g. trigger.headers["x-request-id"]',
    method: 'GET, POST…',
  },
});
