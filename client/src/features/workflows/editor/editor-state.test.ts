import { emptyDefinition } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import {
  type EditorAction,
  type EditorState,
  editorReducer,
  formProblem,
  initialState,
  isDirty,
  isInFreshStep,
} from './editor-state';

function start(definition: unknown = emptyDefinition()) {
  return initialState({ name: 'Billing', description: '', definition, version: 3 });
}
const run = (state: EditorState, ...actions: EditorAction[]) => actions.reduce(editorReducer, state);
const stepsOf = (state: EditorState) =>
  (state.draft.definition as { steps: Record<string, unknown>[] }).steps;

describe('editor state', () => {
  it('adds steps with unique ids, the type’s defaults, and a JSON text that follows', () => {
    const state = run(start(), { type: 'addStep', stepType: 'http' }, { type: 'addStep', stepType: 'http' });
    expect(stepsOf(state).map((step) => [step.id, step.name])).toEqual([
      ['http-1', 'HTTP Request'],
      ['http-2', 'HTTP Request 2'],
    ]);
    expect(stepsOf(state)[0]?.config).toMatchObject({ method: 'GET', url: '', timeoutMs: 10_000 });
    expect(JSON.parse(state.jsonText)).toEqual(state.draft.definition);
    expect(new Set(state.stepKeys).size).toBe(2);
    expect(isDirty(state)).toBe(true);
  });

  it('keeps a step just added "fresh" (its problems not shown yet) until it is edited or problems are asked for', () => {
    let state = run(start(), { type: 'addStep', stepType: 'http' }, { type: 'addStep', stepType: 'filter' });
    const url = ['definition', 'steps', 0, 'config', 'url'];
    const condition = ['definition', 'steps', 1, 'config', 'conditions', 0, 'left'];
    expect(isInFreshStep(state, url)).toBe(true);
    expect(isInFreshStep(state, ['name'])).toBe(false);
    state = run(state, { type: 'updateStep', index: 0, update: (step) => ({ ...step, name: 'Call' }) });
    expect(isInFreshStep(state, url)).toBe(false);
    expect(isInFreshStep(state, condition)).toBe(true);
    // Moved, it stays fresh: freshness belongs to the step, not to its place.
    state = run(state, { type: 'moveStep', index: 1, by: -1 });
    expect(isInFreshStep(state, ['definition', 'steps', 0, 'config'])).toBe(true);
    state = run(state, { type: 'revealProblems' });
    expect(state.fresh.size).toBe(0);
    // Typing in the JSON tab shows everything too.
    state = run(state, { type: 'addStep', stepType: 'http' }, { type: 'setJsonText', text: state.jsonText });
    expect(state.fresh.size).toBe(0);
  });

  it('moves and removes steps together with their keys', () => {
    let state = run(start(), { type: 'addStep', stepType: 'http' }, { type: 'addStep', stepType: 'filter' });
    const [httpKey, filterKey] = state.stepKeys;
    state = run(state, { type: 'moveStep', index: 1, by: -1 });
    expect(stepsOf(state).map((step) => step.id)).toEqual(['filter-1', 'http-1']);
    expect(state.stepKeys).toEqual([filterKey, httpKey]);
    state = run(state, { type: 'moveStep', index: 0, by: -1 }, { type: 'removeStep', index: 0 });
    expect(stepsOf(state).map((step) => step.id)).toEqual(['http-1']);
    expect(state.stepKeys).toEqual([httpKey]);
  });

  it('keeps fields the form has no input for through form edits', () => {
    const definition = {
      ...emptyDefinition(),
      steps: [
        { id: 'a', name: 'A', type: 'http', config: { url: 'https://x.test', verbose: true }, note: 1 },
      ],
      comment: 'kept',
    };
    const state = run(start(definition), {
      type: 'updateStep',
      index: 0,
      update: (step) => ({ ...step, config: { ...(step.config as object), url: 'https://y.test' } }),
    });
    expect(state.draft.definition).toEqual({
      ...definition,
      steps: [
        { id: 'a', name: 'A', type: 'http', config: { url: 'https://y.test', verbose: true }, note: 1 },
      ],
    });
  });

  it('takes JSON text as typed; the form follows valid JSON and waits while it is not', () => {
    let state = run(start(), { type: 'addStep', stepType: 'filter' });
    const [key] = state.stepKeys;
    const edited = state.jsonText.replace('"filter-1"', '"pro-only"');
    state = run(state, { type: 'setJsonText', text: edited });
    expect(stepsOf(state)[0]?.id).toBe('pro-only');
    expect(state.jsonText).toBe(edited);
    // Same position, same number of steps: the card keeps its key although the id changed.
    expect(state.stepKeys).toEqual([key]);

    const broken = run(state, { type: 'setJsonText', text: `${edited},` });
    expect(broken.jsonError).toMatchObject({ message: expect.stringContaining('after the end') });
    expect(broken.draft.definition).toBe(state.draft.definition);
    expect(isDirty(broken)).toBe(true);
    // Form edits are ignored until the text parses again, so the typed text is never overwritten.
    expect(run(broken, { type: 'addStep', stepType: 'http' })).toBe(broken);
  });

  it('shows what the server stored after a save, unless the user kept typing', () => {
    let state = run(start(), { type: 'addStep', stepType: 'filter' });
    const sent = state.draft;
    const stored = { ...sent, definition: { ...(sent.definition as object), stored: true }, version: 4 };
    const saved = run(state, { type: 'saved', sent, workflow: stored });
    expect(saved.draft.definition).toEqual(stored.definition);
    expect(saved.version).toBe(4);
    expect(isDirty(saved)).toBe(false);

    state = run(state, { type: 'setName', name: 'Billing 2' });
    const typedOn = run(state, { type: 'saved', sent, workflow: stored });
    expect(typedOn.draft.name).toBe('Billing 2');
    expect(typedOn.version).toBe(4);
    expect(isDirty(typedOn)).toBe(true);
  });

  it('follows a version bump only from the version it holds', () => {
    const state = start();
    expect(run(state, { type: 'versionBumped', from: 3, to: 4 }).version).toBe(4);
    expect(run(state, { type: 'versionBumped', from: 5, to: 6 }).version).toBe(3);
  });
});

describe('formProblem', () => {
  it('accepts any definition with the outline the form needs', () => {
    expect(formProblem(emptyDefinition())).toBeUndefined();
    expect(formProblem({ steps: [{ type: 'slack' }] })).toBeUndefined();
    expect(formProblem([])).toMatch(/not a JSON object/);
    expect(formProblem({ steps: {} })).toMatch(/"steps" is not a list/);
    expect(formProblem({ steps: [1] })).toMatch(/Step 1 is not an object/);
  });
});
