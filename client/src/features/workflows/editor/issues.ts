import { createWorkflowInput, formatIssuePath, formatIssues, isRecord } from '@automateos/shared';
import { stepViewOf } from '../../steps/registry';
import { triggerViewOf } from '../../triggers/registry';
import { fieldKey, type IssuePath } from './field-path';

/**
 * Validation problems of the editor's draft, and where the form shows each one. Paths are those of
 * the API input (see field-path.ts), so the draft checked in the browser and a BAD_REQUEST from the
 * server land on the same fields.
 */

export interface EditorIssue {
  path: IssuePath;
  message: string;
  /** Where the problem is, for people: "Step 2 · config.url". */
  where: string;
  /** Key of the form field that shows it (see fieldFor). */
  field: string;
}

export interface DraftToCheck {
  name: string;
  description: string;
  definition: unknown;
}

/** Checks the draft with the schema the API uses for create and update. */
export function validateDraft(draft: DraftToCheck): EditorIssue[] {
  const result = createWorkflowInput.safeParse(draft);
  if (result.success) return [];
  const formatted = formatIssues(result.error);
  return result.error.issues.map((issue, index) => {
    // Same rule as formatIssues: one unknown field is reported on the field itself.
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    const path = keys.length === 1 ? [...issue.path, ...keys] : issue.path;
    return toEditorIssue(
      path.map((key) => (typeof key === 'number' ? key : String(key))),
      formatted[index]?.message ?? issue.message,
      draft.definition,
    );
  });
}

/**
 * The issues of a BAD_REQUEST answer. Their paths are all strings (`['definition','steps','1',…]`);
 * array indexes become numbers again by walking the definition that was sent.
 */
export function serverIssues(
  issues: readonly { path: readonly string[]; message: string }[],
  definition: unknown,
): EditorIssue[] {
  return issues.map((issue) => {
    const path: (string | number)[] = [];
    let value: unknown = { definition };
    for (const key of issue.path) {
      const isIndex = Array.isArray(value) && /^(0|[1-9]\d*)$/.test(key);
      path.push(isIndex ? Number(key) : key);
      value = isRecord(value) || Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
    }
    return toEditorIssue(path, issue.message, definition);
  });
}

function toEditorIssue(path: IssuePath, message: string, definition: unknown): EditorIssue {
  return { path, message, where: describeLocation(path), field: fieldKey(fieldFor(path, definition)) };
}

/** "Name", "Trigger · config.method", "Step 2 · config.url", "Definition · schemaVersion". */
export function describeLocation(path: IssuePath): string {
  const [root, section, index, ...rest] = path;
  if (root === 'name') return 'Name';
  if (root === 'description') return 'Description';
  if (root !== 'definition') return 'Workflow';
  if (section === 'steps' && typeof index === 'number') {
    // "config." says nothing to someone looking at the form: `Step 2 · headers["X-Source"]`.
    const inStep = rest[0] === 'config' && rest.length > 1 ? rest.slice(1) : rest;
    return inStep.length > 0 ? `Step ${index + 1} · ${formatIssuePath(inStep)}` : `Step ${index + 1}`;
  }
  if (section === 'trigger') {
    const inTrigger = path.slice(2);
    return inTrigger.length > 0 ? `Trigger · ${formatIssuePath(inTrigger)}` : 'Trigger';
  }
  return path.length > 1 ? `Definition · ${formatIssuePath(path.slice(1))}` : 'Definition';
}

/**
 * The path of the form field that shows an issue. A problem the form has no input for (an unknown
 * field, an unknown step type) goes to the nearest card: the step, the trigger, or the workflow.
 */
export function fieldFor(path: IssuePath, definition: unknown): IssuePath {
  const [root, section, index, key, ...inConfig] = path;
  if (root === 'name' || root === 'description') return [root];
  if (root !== 'definition') return [];
  if (section === 'trigger') {
    const trigger = isRecord(definition) && isRecord(definition.trigger) ? definition.trigger : {};
    const inForm = path[2] === 'config' ? triggerViewOf(trigger.type)?.issueField(path.slice(3)) : undefined;
    return inForm ? ['definition', 'trigger', 'config', ...inForm] : ['definition', 'trigger'];
  }
  if (section !== 'steps') return ['definition'];
  if (typeof index !== 'number') return ['definition', 'steps'];
  const step = ['definition', 'steps', index] as const;
  if (key === 'id' || key === 'name') return [...step, key];
  if (key !== 'config') return step;
  const config = stepConfig(definition, index);
  const inForm = stepViewOf(config.type)?.issueField(inConfig, config.value);
  return inForm ? [...step, 'config', ...inForm] : step;
}

function stepConfig(definition: unknown, index: number) {
  const steps = isRecord(definition) ? definition.steps : undefined;
  const step = Array.isArray(steps) ? (steps[index] as unknown) : undefined;
  const type = isRecord(step) ? step.type : undefined;
  const config = isRecord(step) && isRecord(step.config) ? step.config : {};
  return { type, value: config };
}

/** Issue messages by field key, in the order they were found. */
export function indexIssues(issues: readonly EditorIssue[]): Map<string, string[]> {
  const byField = new Map<string, string[]>();
  for (const issue of issues) {
    const messages = byField.get(issue.field);
    if (messages) messages.push(issue.message);
    else byField.set(issue.field, [issue.message]);
  }
  return byField;
}
