/**
 * The editor's state: ONE draft (name, description, definition) that the form and the JSON tab both
 * read and write, so switching tabs can never lose anything, fields the form has no input for included.
 *
 * The definition is whatever the JSON tab last parsed: valid against the schema or not (the
 * problems are shown, and saving waits for them to be fixed). Form edits change only the field they
 * are about, spreading the rest of the object, so unknown fields survive until the user removes them.
 */
import { isRecord, type StepType, stepTypes } from '@automateos/shared';
import { inFieldOrder } from '../field-order';
import { type JsonSyntaxError, parseJson, toJsonText } from '../json-text';
import { uniqueStepId, uniqueStepName } from './step-ids';

export interface Draft {
  name: string;
  description: string;
  definition: unknown;
}

export interface LoadedWorkflow {
  name: string;
  description: string;
  definition: unknown;
  version: number;
}

/** A step as the form sees it: an object whose fields may hold anything the JSON tab let through. */
export type StepDraft = Record<string, unknown>;

export interface EditorState {
  draft: Draft;
  /** The JSON tab's text. Follows the definition after form edits; kept as typed while the user types. */
  jsonText: string;
  /** Set while the JSON tab's text is not JSON; the definition is then the last text that was. */
  jsonError: JsonSyntaxError | null;
  /** React keys of the steps, in step order, so a moved step keeps its inputs' state. */
  stepKeys: string[];
  /** The draft as last loaded or saved: what "unsaved changes" compares with. */
  saved: Draft;
  /** The workflow version the draft is based on; a save sends it to detect concurrent edits. */
  version: number;
  /**
   * Keys of steps just added and not edited yet: their (expected) problems are not shown until the
   * step is edited or a save or test run needs the draft to be complete.
   */
  fresh: ReadonlySet<string>;
}

export type EditorAction =
  | { type: 'load'; workflow: LoadedWorkflow }
  | { type: 'setName'; name: string }
  | { type: 'setDescription'; description: string }
  | { type: 'setJsonText'; text: string }
  | { type: 'updateTrigger'; update: (trigger: Record<string, unknown>) => Record<string, unknown> }
  | { type: 'addStep'; stepType: StepType }
  | { type: 'removeStep'; index: number }
  | { type: 'moveStep'; index: number; by: -1 | 1 }
  | { type: 'updateStep'; index: number; update: (step: StepDraft) => StepDraft }
  | { type: 'saved'; sent: Draft; workflow: LoadedWorkflow }
  /** Show every problem, those of steps just added too: a save or a test run was asked for. */
  | { type: 'revealProblems' }
  /** Switching on/off and a new webhook URL bump the version without touching the draft. */
  | { type: 'versionBumped'; from: number; to: number };

let keyCounter = 0;
const newKey = () => `step-${++keyCounter}`;

export function initialState(workflow: LoadedWorkflow): EditorState {
  const draft = draftOf(workflow);
  return {
    draft,
    jsonText: toJsonText(draft.definition),
    jsonError: null,
    stepKeys: stepsOf(draft.definition).map(newKey),
    saved: draft,
    version: workflow.version,
    fresh: new Set(),
  };
}

function draftOf({ name, description, definition }: LoadedWorkflow): Draft {
  return { name, description, definition: inFieldOrder(definition) };
}

/** The steps array when the definition has one; the form can only show a definition that does. */
export function stepsOf(definition: unknown): unknown[] {
  return isRecord(definition) && Array.isArray(definition.steps) ? definition.steps : [];
}

/**
 * Why the form cannot show this definition, or undefined when it can. Only the outline matters
 * here (an object with a trigger object and a list of step objects); everything inside is shown
 * field by field, with its validation messages.
 */
export function formProblem(definition: unknown): string | undefined {
  if (!isRecord(definition)) return 'The definition is not a JSON object.';
  if (!Array.isArray(definition.steps)) return '"steps" is not a list.';
  if (definition.trigger !== undefined && !isRecord(definition.trigger)) return '"trigger" is not an object.';
  const index = definition.steps.findIndex((step) => !isRecord(step));
  if (index !== -1) return `Step ${index + 1} is not an object.`;
  return undefined;
}

export function isDirty(state: EditorState): boolean {
  return state.jsonError !== null || draftText(state.draft) !== draftText(state.saved);
}

export function draftText(draft: Draft): string {
  return JSON.stringify([draft.name, draft.description, draft.definition]);
}

export function editorReducer(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'load':
      return initialState(action.workflow);
    case 'setName':
      return { ...state, draft: { ...state.draft, name: action.name } };
    case 'setDescription':
      return { ...state, draft: { ...state.draft, description: action.description } };
    case 'setJsonText':
      return { ...withJsonText(state, action.text), fresh: new Set() };
    case 'updateTrigger':
      return editDefinition(state, (definition) => ({
        ...definition,
        trigger: action.update(isRecord(definition.trigger) ? definition.trigger : {}),
      }));
    case 'addStep':
      return addStep(state, action.stepType);
    case 'removeStep':
      return editSteps(state, (steps, keys) => {
        steps.splice(action.index, 1);
        keys.splice(action.index, 1);
      });
    case 'revealProblems':
      return state.fresh.size === 0 ? state : { ...state, fresh: new Set() };
    case 'moveStep':
      return editSteps(state, (steps, keys) => {
        const to = action.index + action.by;
        if (to < 0 || to >= steps.length) return;
        [steps[action.index], steps[to]] = [steps[to], steps[action.index]];
        [keys[action.index], keys[to]] = [keys[to] ?? newKey(), keys[action.index] ?? newKey()];
      });
    case 'updateStep': {
      const next = editSteps(state, (steps) => {
        const step = steps[action.index];
        if (isRecord(step)) steps[action.index] = action.update(step);
      });
      return withoutFresh(next, state.stepKeys[action.index]);
    }
    case 'saved':
      return afterSave(state, action.sent, action.workflow);
    case 'versionBumped':
      // Only when nothing else happened in between; otherwise the next save rightly meets a CONFLICT.
      return state.version === action.from ? { ...state, version: action.to } : state;
  }
}

/** A form edit: the JSON text follows, formatted. */
function editDefinition(
  state: EditorState,
  update: (definition: Record<string, unknown>) => Record<string, unknown>,
): EditorState {
  // The form is read-only while the JSON text does not parse (see formProblem and jsonError).
  if (state.jsonError || !isRecord(state.draft.definition)) return state;
  const definition = update(state.draft.definition);
  return { ...state, draft: { ...state.draft, definition }, jsonText: toJsonText(definition) };
}

function editSteps(state: EditorState, edit: (steps: unknown[], keys: string[]) => void): EditorState {
  let keys = state.stepKeys;
  const next = editDefinition(state, (definition) => {
    const steps = [...stepsOf(definition)];
    keys = [...state.stepKeys];
    edit(steps, keys);
    return { ...definition, steps };
  });
  return next === state ? state : { ...next, stepKeys: keys };
}

function withoutFresh(state: EditorState, key: string | undefined): EditorState {
  if (key === undefined || !state.fresh.has(key)) return state;
  const fresh = new Set(state.fresh);
  fresh.delete(key);
  return { ...state, fresh };
}

function addStep(state: EditorState, type: StepType): EditorState {
  const spec = stepTypes[type];
  const added = newKey();
  const next = editSteps(state, (steps, keys) => {
    const records = steps.filter(isRecord);
    steps.push({
      id: uniqueStepId(
        type,
        records.map((step) => step.id),
      ),
      name: uniqueStepName(
        spec.title,
        records.map((step) => step.name),
      ),
      type,
      config: spec.defaults(),
    });
    keys.push(added);
  });
  return next === state ? state : { ...next, fresh: new Set([...state.fresh, added]) };
}

/** Whether the problem at `path` belongs to a step just added and not edited yet. */
export function isInFreshStep(state: Pick<EditorState, 'fresh' | 'stepKeys'>, path: readonly unknown[]) {
  const [root, section, index] = path;
  if (root !== 'definition' || section !== 'steps' || typeof index !== 'number') return false;
  const key = state.stepKeys[index];
  return key !== undefined && state.fresh.has(key);
}

function withJsonText(state: EditorState, text: string): EditorState {
  const parsed = parseJson(text);
  if (!parsed.ok) return { ...state, jsonText: text, jsonError: parsed.error };
  return {
    ...state,
    jsonText: text,
    jsonError: null,
    draft: { ...state.draft, definition: parsed.value },
    stepKeys: matchStepKeys(state.draft.definition, state.stepKeys, parsed.value),
  };
}

/**
 * Keys for the steps of a definition typed in the JSON tab: a step keeps its key when its id is
 * unchanged, or when it stays at the same position while the number of steps does.
 */
function matchStepKeys(before: unknown, keys: readonly string[], after: unknown): string[] {
  const previous = stepsOf(before);
  const next = stepsOf(after);
  const byId = new Map<unknown, string>();
  previous.forEach((step, index) => {
    const key = keys[index];
    if (isRecord(step) && key !== undefined && !byId.has(step.id)) byId.set(step.id, key);
  });
  const used = new Set<string>();
  return next.map((step, index) => {
    const candidates = [
      isRecord(step) ? byId.get(step.id) : undefined,
      previous.length === next.length ? keys[index] : undefined,
    ];
    const key = candidates.find((candidate) => candidate !== undefined && !used.has(candidate)) ?? newKey();
    used.add(key);
    return key;
  });
}

/**
 * The server answers with the workflow as stored (defaults filled in). When nothing changed while
 * the save was on its way, the editor shows exactly that; otherwise the newer edits stay, unsaved.
 */
function afterSave(state: EditorState, sent: Draft, workflow: LoadedWorkflow): EditorState {
  const saved = draftOf(workflow);
  if (draftText(state.draft) !== draftText(sent) || state.jsonError) {
    return { ...state, saved, version: workflow.version };
  }
  return {
    ...state,
    fresh: new Set(),
    draft: saved,
    saved,
    version: workflow.version,
    jsonText: toJsonText(saved.definition),
    stepKeys: matchStepKeys(state.draft.definition, state.stepKeys, saved.definition),
  };
}
