import type { AnyTriggerSpec, JsonValue } from '@automateos/shared';
import { z } from 'zod';

export type TriggerConfigOf<Spec extends AnyTriggerSpec> = z.output<Spec['configSchema']>;
export type TriggerDataOfSpec<Spec extends AnyTriggerSpec> = z.output<Spec['dataSchema']>;

/** What a trigger file writes: whether it has a webhook URL, and the data of test runs and re-runs. */
export interface TriggerDefinition<Spec extends AnyTriggerSpec> {
  /** Whether a workflow with this trigger has a webhook URL: the `workflows.webhook_id` column. */
  webhook: boolean;
  /** The trigger data of a test run ("Test run" / "Run now" in the editor). */
  testRunData(
    config: TriggerConfigOf<Spec>,
    payload: JsonValue,
    workflow: { webhookId: string | null },
  ): TriggerDataOfSpec<Spec>;
  /** The trigger data of a re-run of an execution that had `data`. */
  rerunData(data: TriggerDataOfSpec<Spec>): TriggerDataOfSpec<Spec>;
}

/**
 * The server half of a trigger type: the spec (config, data, expression fields) is in shared/, this
 * is what the workflows and executions services ask of it. How a trigger fires lives with its own
 * entry point (webhooks: http/webhooks.ts and services/ingest.ts; schedules: engine/scheduler.ts).
 */
export interface TriggerImplementation<Spec extends AnyTriggerSpec> {
  readonly spec: Spec;
  webhook: boolean;
  testRunData: TriggerDefinition<Spec>['testRunData'];
  /** Stored data is read through the spec's data schema first; unreadable data is kept as it is. */
  rerunData<Stored>(data: Stored): TriggerDataOfSpec<Spec> | Stored;
}

/** A trigger type's implementation, its config and data types inferred from its spec. */
export function defineTrigger<const Spec extends AnyTriggerSpec>(
  spec: Spec,
  definition: TriggerDefinition<Spec>,
): TriggerImplementation<Spec> {
  return {
    spec,
    webhook: definition.webhook,
    testRunData: definition.testRunData,
    rerunData(data) {
      const stored = z.safeParse<Spec['dataSchema']>(spec.dataSchema, data);
      return stored.success ? definition.rerunData(stored.data) : data;
    },
  };
}
