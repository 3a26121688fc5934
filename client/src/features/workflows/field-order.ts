/**
 * PostgreSQL's jsonb keeps object keys sorted by length, so a stored definition comes back as
 * `{ "steps", "trigger", "schemaVersion" }` and `{ "url", "method" }`. The editor and export files
 * show fields in the order the schema declares them (the order of DESIGN.md's example) instead.
 * Values are untouched: only the order of known keys changes; other keys follow in their own order.
 */
import {
  filterConditionSchema,
  filterConfigSchema,
  httpConfigSchema,
  httpStepSchema,
  retrySchema,
  webhookTriggerConfigSchema,
  webhookTriggerSchema,
  workflowDefinitionSchema,
} from '@automateos/shared';
import { isRecord } from './values';

const keysOf = (schema: { shape: object }) => Object.keys(schema.shape);

const DEFINITION = keysOf(workflowDefinitionSchema);
const TRIGGER = keysOf(webhookTriggerSchema);
const TRIGGER_CONFIG = keysOf(webhookTriggerConfigSchema);
const STEP = keysOf(httpStepSchema);
const HTTP_CONFIG = keysOf(httpConfigSchema);
const RETRY = keysOf(retrySchema);
const BODY = ['type', 'value'];
const FILTER_CONFIG = keysOf(filterConfigSchema);
const CONDITION = keysOf(filterConditionSchema);

function ordered(value: unknown, keys: readonly string[]): unknown {
  if (!isRecord(value)) return value;
  // fromEntries defines own properties, so a user's key such as __proto__ stays data.
  const known = keys.filter((key) => Object.hasOwn(value, key));
  const rest = Object.keys(value).filter((key) => !known.includes(key));
  return Object.fromEntries([...known, ...rest].map((key) => [key, value[key]]));
}

const mapField = (value: unknown, key: string, map: (entry: unknown) => unknown) =>
  isRecord(value) && Object.hasOwn(value, key) ? { ...value, [key]: map(value[key]) } : value;

export function inFieldOrder(definition: unknown): unknown {
  let result = ordered(definition, DEFINITION);
  result = mapField(result, 'trigger', (trigger) =>
    mapField(ordered(trigger, TRIGGER), 'config', (config) => ordered(config, TRIGGER_CONFIG)),
  );
  return mapField(result, 'steps', (steps) => (Array.isArray(steps) ? steps.map(stepInFieldOrder) : steps));
}

function stepInFieldOrder(step: unknown): unknown {
  const type = isRecord(step) ? step.type : undefined;
  return mapField(ordered(step, STEP), 'config', (config) => {
    if (type === 'http') {
      const http = mapField(ordered(config, HTTP_CONFIG), 'retry', (retry) => ordered(retry, RETRY));
      return mapField(http, 'body', (body) => ordered(body, BODY));
    }
    if (type === 'filter') {
      return mapField(ordered(config, FILTER_CONFIG), 'conditions', (conditions) =>
        Array.isArray(conditions) ? conditions.map((condition) => ordered(condition, CONDITION)) : conditions,
      );
    }
    return config;
  });
}
