import {
  type JsonValue,
  type Trigger,
  type TriggerData,
  type TriggerOf,
  type TriggerSpecOf,
  type TriggerType,
  triggerFieldsOf,
  triggerTypes,
} from '@automateos/shared';
import { z } from 'zod';
import type { TriggerImplementation } from './types';
import { webhookTrigger } from './webhook';

/**
 * Every trigger type's implementation, keyed like `triggerTypes` in shared/: a type added there
 * without an implementation here fails the type check.
 */
export const triggerImplementations = {
  webhook: webhookTrigger,
} satisfies { [Type in TriggerType]: TriggerImplementation<Type> };

// Seen through each type's own trigger and data, so a workflow's trigger reaches its own type's
// implementation without a cast (TypeScript correlates the indexed types).
type Implementations = { [Type in TriggerType]: TriggerImplementation<Type> };
const implementations: Implementations = triggerImplementations;

/** Whether workflows with this trigger have a webhook URL. */
export function hasWebhook(trigger: Trigger): boolean {
  return implementations[trigger.type].webhook;
}

export function testRunData<Type extends TriggerType>(
  trigger: TriggerOf<Type>,
  payload: JsonValue,
  workflow: { webhookId: string | null },
): TriggerData {
  const implementation: Implementations[Type] = implementations[trigger.type];
  return implementation.testRunData(trigger, payload, workflow);
}

/** The data of a re-run. Stored data is read through the type's data schema; unreadable data is kept as it is. */
export function rerunData<Type extends TriggerType>(type: Type, data: TriggerData): TriggerData {
  const stored = z.safeParse<TriggerSpecOf<Type>['dataSchema']>(triggerTypes[type].dataSchema, data);
  const implementation: Implementations[Type] = implementations[type];
  return stored.success ? implementation.rerunData(stored.data) : data;
}

/** The `trigger` root of expressions: the fields the trigger type gives them, from its stored data. */
export function triggerScope(type: TriggerType, data: TriggerData): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const record: Readonly<Record<string, unknown>> = data;
  for (const field of triggerFieldsOf(type)) scope[field] = record[field];
  return scope;
}
