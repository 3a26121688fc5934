import { z } from 'zod';
import { defineTriggerSpec } from './node-spec';
import { strictObject } from './schema-builders';

/** `ANY` accepts every method; the others accept only that method, answering 404 otherwise. */
export const webhookMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'] as const;
export type WebhookMethod = (typeof webhookMethods)[number];

export const webhookTriggerConfigSchema = strictObject({
  method: z
    .enum(webhookMethods, { error: `Webhook method must be one of ${webhookMethods.join(', ')}` })
    .default('POST'),
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
  fields: {
    body: 'The request body, e.g. trigger.body.user.id',
    query: 'Query parameters, e.g. trigger.query.page',
    headers: 'Request headers, e.g. trigger.headers["x-request-id"]',
    method: 'GET, POST…',
  },
});
