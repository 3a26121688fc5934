import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  createWorkflowInput,
  exportFileSchema,
  idInput,
  listWorkflowsInput,
  setActiveInput,
  testRunInput,
  updateWorkflowInput,
  workflowNameSchema,
} from './api';
import { emptyDefinition } from './definition';
import { formatIssues } from './issues';
import { MAX_JSON_DEPTH } from './json-value';

const id = '2f1c7a9e-5b1d-4c3e-9a8b-7d6e5f4a3b2c';

function issuesOf(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.error ? formatIssues(result.error) : [];
}

describe('workflow API inputs', () => {
  it('trims workflow names and requires 1 to 100 characters', () => {
    expect(workflowNameSchema.parse('  Billing  ')).toBe('Billing');
    expect(workflowNameSchema.safeParse('   ').error?.issues[0]?.message).toBe('Name is required');
    // Said with the length it has, rather than cut to fit.
    expect(workflowNameSchema.safeParse(` ${'n'.repeat(300)} `).error?.issues[0]?.message).toBe(
      'Name must be at most 100 characters (this one has 300)',
    );
  });

  it('creates a workflow from a name, an optional description and a definition', () => {
    expect(createWorkflowInput.parse({ name: 'Billing', definition: emptyDefinition() })).toEqual({
      name: 'Billing',
      definition: emptyDefinition(),
    });
    expect(
      issuesOf(createWorkflowInput, {
        name: 'B',
        description: 'd'.repeat(1001),
        definition: emptyDefinition(),
      }),
    ).toEqual([{ path: 'description', message: 'Description must be at most 1000 characters' }]);
    expect(
      issuesOf(createWorkflowInput, { name: 'B', definition: { ...emptyDefinition(), steps: 'x' } })[0]?.path,
    ).toBe('definition.steps');
    expect(
      issuesOf(createWorkflowInput, { name: 'B', definition: emptyDefinition(), active: true })[0]?.path,
    ).toBe('active');
  });

  it('updates by id and the version last read', () => {
    expect(updateWorkflowInput.parse({ id, version: 3, name: 'New' })).toEqual({
      id,
      version: 3,
      name: 'New',
    });
    expect(issuesOf(updateWorkflowInput, { id: 'abc', version: 1.5 })).toEqual([
      { path: 'id', message: 'Workflow id must be a UUID' },
      { path: 'version', message: 'Version must be a whole number' },
    ]);
  });

  it('takes ids, the active flag and an optional search', () => {
    expect(idInput.parse({ id })).toEqual({ id });
    expect(setActiveInput.parse({ id, active: false })).toEqual({ id, active: false });
    expect(issuesOf(setActiveInput, { id, active: 'yes' })[0]?.path).toBe('active');
    expect(listWorkflowsInput.parse(undefined)).toEqual({ limit: 50 });
    expect(listWorkflowsInput.parse({ search: ' bill ', cursor: id, limit: 200 })).toEqual({
      search: 'bill',
      cursor: id,
      limit: 200,
    });
  });

  it('lists workflows in pages of 1 to 200 after a workflow id', () => {
    expect(issuesOf(listWorkflowsInput, { cursor: 'abc', limit: 0 })).toEqual([
      { path: 'cursor', message: 'Workflow id must be a UUID' },
      { path: 'limit', message: 'Limit must be a whole number from 1 to 200' },
    ]);
    expect(issuesOf(listWorkflowsInput, { limit: 201 })).toEqual([
      { path: 'limit', message: 'Limit must be at most 200' },
    ]);
    expect(issuesOf(listWorkflowsInput, { limit: 2.5 })).toEqual([
      { path: 'limit', message: 'Limit must be a whole number from 1 to 200' },
    ]);
  });

  it('runs a test with any JSON payload, and nothing that JSON cannot hold', () => {
    const payload = { user: { id: 1, tags: ['a'], ok: true, none: null } };
    expect(testRunInput.parse({ id, payload })).toEqual({ id, payload });
    expect(testRunInput.parse({ id, payload: 'text' }).payload).toBe('text');
    for (const bad of [
      undefined,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      { when: new Date() },
      [1, undefined],
      () => 1,
    ]) {
      expect(issuesOf(testRunInput, { id, payload: bad })).toEqual([
        {
          path: 'payload',
          message: 'Must be JSON: an object, array, string, finite number, true, false or null',
        },
      ]);
    }
    const nested = (levels: number) => {
      let value: unknown = 1;
      for (let depth = 0; depth < levels; depth += 1) value = [value];
      return value;
    };
    expect(testRunInput.safeParse({ id, payload: nested(MAX_JSON_DEPTH) }).success).toBe(true);
    // Checked without recursion, and bounded: a clear message, never a stack overflow.
    expect(issuesOf(testRunInput, { id, payload: nested(100_000) })).toEqual([
      { path: 'payload', message: `Nested deeper than ${MAX_JSON_DEPTH} levels` },
    ]);
  });

  it('refuses text PostgreSQL cannot work with: a NUL character or half a surrogate pair, in values and keys', () => {
    const nul = 'Contains a NUL character (\\u0000), which cannot be stored';
    const surrogate = 'Contains an unpaired surrogate (such as \\ud800), which cannot be stored';
    expect(issuesOf(testRunInput, { id, payload: { a: 'x\u0000y' } })).toEqual([
      { path: 'payload', message: nul },
    ]);
    expect(issuesOf(testRunInput, { id, payload: { 'k\u0000': 1 } })).toEqual([
      { path: 'payload', message: nul },
    ]);
    expect(issuesOf(testRunInput, { id, payload: ['\ud800'] })).toEqual([
      { path: 'payload', message: surrogate },
    ]);
    // A whole pair is an ordinary character.
    expect(testRunInput.safeParse({ id, payload: ['\ud83d\ude00'] }).success).toBe(true);
    // The editor's draft is checked like a save.
    expect(
      issuesOf(testRunInput, { id, payload: {}, definition: { schemaVersion: 1, steps: 'none' } }),
    ).not.toEqual([]);
  });

  it('refuses a payload that contains itself or shares its parts', () => {
    const cycle: Record<string, unknown> = { a: 1 };
    cycle.self = cycle;
    let dag: unknown[] = [];
    for (let level = 0; level < 40; level += 1) dag = [dag, dag];
    for (const payload of [cycle, dag]) {
      expect(issuesOf(testRunInput, { id, payload })).toEqual([
        { path: 'payload', message: 'Refers to the same object twice (or contains itself)' },
      ]);
    }
  });
});

describe('exportFileSchema', () => {
  it('reads an export file and defaults its description', () => {
    expect(exportFileSchema.parse({ automateos: 1, name: 'Billing', definition: emptyDefinition() })).toEqual(
      {
        automateos: 1,
        name: 'Billing',
        description: '',
        definition: emptyDefinition(),
        credentials: [],
      },
    );
  });

  it('says when a file is not an AutomateOS export', () => {
    expect(issuesOf(exportFileSchema, { name: 'Billing', definition: emptyDefinition() })).toEqual([
      { path: 'automateos', message: 'Not an AutomateOS export file (expected "automateos": 1)' },
    ]);
  });
});
