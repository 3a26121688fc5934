import type { JsonValue, TriggerDataOf, TriggerOf, TriggerType } from '@automateos/shared';

/**
 * The server half of a trigger type: the spec (config, data, expression fields) is in shared/, this
 * is what the workflows and executions services ask of it. How a trigger fires lives with its own
 * entry point (webhooks: http/webhooks.ts and services/ingest.ts).
 */
export interface TriggerImplementation<Type extends TriggerType> {
  /** Whether a workflow with this trigger has a webhook URL: the `workflows.webhook_id` column. */
  webhook: boolean;
  /** The trigger data of a test run ("Test run" in the editor: run now with this JSON payload). */
  testRunData(
    trigger: TriggerOf<Type>,
    payload: JsonValue,
    workflow: { webhookId: string | null },
  ): TriggerDataOf<Type>;
  /** The trigger data of a re-run of an execution that had `data`. */
  rerunData(data: TriggerDataOf<Type>): TriggerDataOf<Type>;
}
