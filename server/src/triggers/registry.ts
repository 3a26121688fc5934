import {
  type JsonValue,
  type Trigger,
  type TriggerData,
  type TriggerSpecOf,
  type TriggerType,
  triggerFieldsOf,
} from '@automateos/shared';
import { scheduleTrigger } from './schedule';
import type { TriggerConfigOf, TriggerImplementation } from './types';
import { webhookTrigger } from './webhook';

/**
 * Every trigger type's implementation, keyed like `triggerTypes` in shared/: a type added there
 * without an implementation here fails the type check, and so does an implementation of another spec.
 */
export const triggerImplementations = {
  webhook: webhookTrigger,
  schedule: scheduleTrigger,
} satisfies { [Type in TriggerType]: TriggerImplementation<TriggerSpecOf<Type>> };

// Seen through each type's own config, so a workflow's trigger reaches its own type's implementation
// without a cast (TypeScript correlates `Configs[Type]` with `TestRuns[Type]`).
type Configs = { [Type in TriggerType]: TriggerConfigOf<TriggerSpecOf<Type>> };
type TestRuns = {
  [Type in TriggerType]: {
    testRunData(
      config: Configs[Type],
      payload: JsonValue,
      workflow: { webhookId: string | null },
    ): TriggerData;
  };
};
const testRuns: TestRuns = triggerImplementations;

/** Whether workflows with this trigger have a webhook URL. */
export function hasWebhook(trigger: Trigger): boolean {
  return triggerImplementations[trigger.type].webhook;
}

export function testRunData<Type extends TriggerType>(
  trigger: { type: Type; config: Configs[Type] },
  payload: JsonValue,
  workflow: { webhookId: string | null },
): TriggerData {
  return testRuns[trigger.type].testRunData(trigger.config, payload, workflow);
}

/** The data of a re-run. Stored data is read through the type's data schema; unreadable data is kept as it is. */
export function rerunData(type: TriggerType, data: TriggerData): TriggerData {
  return triggerImplementations[type].rerunData(data);
}

/** The `trigger` root of expressions: the fields the trigger type gives them, from its stored data. */
export function triggerScope(type: TriggerType, data: TriggerData): Record<string, unknown> {
  const scope: Record<string, unknown> = {};
  const record: Readonly<Record<string, unknown>> = data;
  for (const field of triggerFieldsOf(type)) scope[field] = record[field];
  return scope;
}
