import { z } from 'zod';
import { byType, triggerSchemasOf } from './node-spec';
import { scheduleTriggerType } from './schedule';
import { unknownTypeError } from './schema-builders';
import { webhookTriggerType } from './webhook';

/**
 * Every trigger type. A new type is its spec file and one entry here; the trigger union,
 * `triggerTypes`, the execution modes and the registries of server/ and client/ follow from it.
 */
export const triggerSpecs = [webhookTriggerType, scheduleTriggerType] as const;

export const triggerSchema = z.discriminatedUnion('type', triggerSchemasOf(triggerSpecs), {
  error: unknownTypeError('trigger type'),
});
export type Trigger = z.output<typeof triggerSchema>;
export type TriggerType = Trigger['type'];
export type TriggerOf<Type extends TriggerType> = Extract<Trigger, { type: Type }>;

export const triggerTypes = byType(triggerSpecs);
export type TriggerSpecOf<Type extends TriggerType> = (typeof triggerTypes)[Type];
/** What an execution started by a trigger of this type stores (the `trigger` column). */
export type TriggerDataOf<Type extends TriggerType> = z.output<TriggerSpecOf<Type>['dataSchema']>;
export type TriggerData = TriggerDataOf<TriggerType>;

/** The `trigger.<field>` names expressions may use with this trigger type. */
export function triggerFieldsOf(type: TriggerType): string[] {
  return Object.keys(triggerTypes[type].fields);
}

export function isTriggerType(value: unknown): value is TriggerType {
  return typeof value === 'string' && Object.hasOwn(triggerTypes, value);
}
