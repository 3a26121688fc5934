import { z } from 'zod';
import { findExpressions } from '../expressions';
import { isRecord } from './json-value';
import { strictObject } from './schema-builders';
import { stepSchema } from './steps';
import { isTriggerType, triggerFieldsOf, triggerSchema } from './trigger';

export const MAX_STEPS = 50;

/** The v1 workflow definition: what the JSON view shows, export files hold and the API accepts. */
export const workflowDefinitionSchema = strictObject({
  schemaVersion: z.literal(1, {
    error: 'schemaVersion must be 1: this version of AutomateOS reads version 1 workflow definitions',
  }),
  trigger: triggerSchema,
  steps: z.array(stepSchema).max(MAX_STEPS, `A workflow can have at most ${MAX_STEPS} steps`),
  // Runs even when other fields are invalid, so one save reports every problem at once.
}).superRefine((definition, ctx) => checkSteps(definition, ctx), { when: () => true });

export type WorkflowDefinition = z.output<typeof workflowDefinitionSchema>;
export type WorkflowDefinitionInput = z.input<typeof workflowDefinitionSchema>;

export function emptyDefinition(): WorkflowDefinition {
  return { schemaVersion: 1, trigger: { type: 'webhook', config: { method: 'POST' } }, steps: [] };
}

/**
 * Checks across steps: unique ids, and expressions that only use the trigger and earlier steps.
 * It may see a partly invalid definition (see `when` above), so it reads the value as unknown.
 */
function checkSteps(value: unknown, ctx: z.RefinementCtx): void {
  // Beyond MAX_STEPS the length is already an error; looking further would only cost time.
  const steps: unknown[] =
    isRecord(value) && Array.isArray(value.steps) ? value.steps.slice(0, MAX_STEPS) : [];
  const ids = steps.map((step) => (isRecord(step) && typeof step.id === 'string' ? step.id : undefined));
  const earlier = new Set<string>();
  // An unknown trigger type is an error of its own; its fields are then not checked.
  const triggerType = isRecord(value) && isRecord(value.trigger) ? value.trigger.type : undefined;
  const triggerFields = isTriggerType(triggerType) ? triggerFieldsOf(triggerType) : undefined;

  steps.forEach((step, index) => {
    const id = ids[index];
    if (id !== undefined && earlier.has(id)) {
      ctx.addIssue({
        code: 'custom',
        path: ['steps', index, 'id'],
        message: `Step id "${id}" is already used by step ${ids.indexOf(id) + 1}: step ids must be unique`,
      });
    }

    if (isRecord(step)) {
      const { expressions, errors } = findExpressions(step.config);
      for (const { location, error } of errors) {
        ctx.addIssue({
          code: 'custom',
          path: ['steps', index, 'config', ...location],
          message: error.message,
        });
      }
      for (const { location, expression } of expressions) {
        const message = referenceProblem(expression.path, earlier, ids, triggerFields);
        if (message) ctx.addIssue({ code: 'custom', path: ['steps', index, 'config', ...location], message });
      }
    }

    if (id !== undefined) earlier.add(id);
  });
}

/** Why an expression path cannot work in this step, or undefined when it can. */
function referenceProblem(
  path: readonly (string | number)[],
  earlierIds: ReadonlySet<string>,
  allIds: readonly (string | undefined)[],
  triggerFields: readonly string[] | undefined,
): string | undefined {
  const [root, field] = path;
  if (root === 'trigger') {
    if (triggerFields === undefined) return undefined;
    if (typeof field === 'string' && triggerFields.includes(field)) return undefined;
    const fields = triggerFields.map((name) => `trigger.${name}`).join(', ');
    return field === undefined
      ? `Use a field of the trigger: ${fields}`
      : `trigger.${field} does not exist: use ${fields}`;
  }
  if (root === 'steps') {
    if (typeof field !== 'string') return 'Name a step by its id, e.g. {{ steps.notify.body }}';
    if (earlierIds.has(field)) return undefined;
    if (!allIds.includes(field)) return `steps.${field} is not a step of this workflow`;
    return `steps.${field} is not an earlier step: expressions can only use steps above this one`;
  }
  return `Unknown expression root "${root}": expressions start with trigger or steps, e.g. {{ trigger.body.id }}`;
}
