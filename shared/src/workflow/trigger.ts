import { z } from 'zod';
import { defineNodeSpec, type NodeSpec } from './node-spec';
import { strictObject, unknownTypeError } from './schema-builders';

/** `ANY` accepts every method; the others accept only that method, answering 404 otherwise. */
export const webhookMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY'] as const;
export type WebhookMethod = (typeof webhookMethods)[number];

export const webhookTriggerConfigSchema = strictObject({
  method: z
    .enum(webhookMethods, { error: `Webhook method must be one of ${webhookMethods.join(', ')}` })
    .default('POST'),
});
export type WebhookTriggerConfig = z.output<typeof webhookTriggerConfigSchema>;

export const webhookTriggerSchema = strictObject({
  type: z.literal('webhook'),
  config: webhookTriggerConfigSchema.prefault({}),
});

/** Fields the trigger gives expressions: `{{ trigger.body.… }}` and its siblings. */
export const triggerFields = ['body', 'query', 'headers', 'method'] as const;
export type TriggerField = (typeof triggerFields)[number];

/** A union of one for now: schedule triggers join it later without changing the format. */
export const triggerSchema = z.discriminatedUnion('type', [webhookTriggerSchema], {
  error: unknownTypeError('trigger type'),
});
export type Trigger = z.output<typeof triggerSchema>;
export type TriggerType = Trigger['type'];

export const triggerTypes = {
  webhook: defineNodeSpec({
    type: 'webhook',
    title: 'Webhook',
    description: "Runs the workflow when an HTTP request arrives at the workflow's webhook URL.",
    configSchema: webhookTriggerConfigSchema,
    defaults: (): WebhookTriggerConfig => ({ method: 'POST' }),
  }),
} satisfies { [Type in TriggerType]: NodeSpec<Type, z.ZodType> };
