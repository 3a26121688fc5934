import { z } from 'zod';
import { defineStepSpec } from './node-spec';
import { compileRegex, MAX_REGEX_LENGTH } from './regex';
import { strictObject } from './schema-builders';

/** Filter operators, in the order the editor lists them. */
export const filterOperatorNames = [
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'endsWith',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
  'notExists',
  'isEmpty',
  'isNotEmpty',
  'matchesRegex',
  'isTrue',
  'isFalse',
] as const;
export type FilterOperator = (typeof filterOperatorNames)[number];

/** A unary operator looks at `left` only, so its condition has no `right`. */
export const filterOperators = {
  equals: { label: 'is equal to', unary: false },
  notEquals: { label: 'is not equal to', unary: false },
  contains: { label: 'contains', unary: false },
  notContains: { label: 'does not contain', unary: false },
  startsWith: { label: 'starts with', unary: false },
  endsWith: { label: 'ends with', unary: false },
  gt: { label: 'is greater than', unary: false },
  gte: { label: 'is greater than or equal to', unary: false },
  lt: { label: 'is less than', unary: false },
  lte: { label: 'is less than or equal to', unary: false },
  exists: { label: 'exists', unary: true },
  notExists: { label: 'does not exist', unary: true },
  isEmpty: { label: 'is empty', unary: true },
  isNotEmpty: { label: 'is not empty', unary: true },
  matchesRegex: { label: 'matches regex', unary: false },
  isTrue: { label: 'is true', unary: true },
  isFalse: { label: 'is false', unary: true },
} as const satisfies Record<FilterOperator, { label: string; unary: boolean }>;

/** The operators as a list for a select input. */
export const filterOperatorList = filterOperatorNames.map((op) => ({ op, ...filterOperators[op] }));

export function isUnaryOperator(op: FilterOperator): boolean {
  return filterOperators[op].unary;
}

export { MAX_REGEX_LENGTH };

/**
 * Why a matchesRegex pattern cannot be used, or undefined: the worker compiles it with the same
 * engine (RE2 syntax), so a pattern that saves is the pattern that runs.
 */
export function regexPatternProblem(pattern: string): string | undefined {
  const compiled = compileRegex(pattern);
  return compiled.ok ? undefined : compiled.problem;
}

export const filterMatchModes = ['all', 'any'] as const;

export const filterConditionSchema = strictObject({
  left: z.string().min(1, 'Choose the value to test, e.g. {{ trigger.body.plan }}'),
  op: z.enum(filterOperatorNames, { error: `Operator must be one of ${filterOperatorNames.join(', ')}` }),
  right: z.string().optional(),
  caseSensitive: z.boolean().default(true),
}).superRefine((condition, ctx) => {
  const { op, right } = condition;
  if (isUnaryOperator(op)) {
    // Rejected rather than dropped: a leftover value in the JSON view would otherwise look meaningful.
    if (right !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['right'],
        message: `"${op}" takes no right-hand value: remove "right"`,
      });
    }
    return;
  }
  if (right === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['right'],
      message: `"${op}" needs a right-hand value to compare with`,
    });
  } else if (op === 'matchesRegex' && !right.includes('{{')) {
    // A pattern built from expressions can only be checked when the step runs.
    const problem = regexPatternProblem(right);
    if (problem) ctx.addIssue({ code: 'custom', path: ['right'], message: problem });
  }
});
export type FilterCondition = z.output<typeof filterConditionSchema>;

export const filterConfigSchema = strictObject({
  match: z.enum(filterMatchModes, { error: 'Match must be "all" or "any"' }).default('all'),
  conditions: z
    .array(filterConditionSchema)
    .min(1, 'Add at least one condition')
    .max(50, 'A filter can have at most 50 conditions'),
});
export type FilterConfig = z.output<typeof filterConfigSchema>;
export type FilterConfigInput = z.input<typeof filterConfigSchema>;

/** Operands resolve with their type, and a missing one stays `undefined` so `exists` can tell. */
export const filterInputSchema = strictObject({
  match: z.enum(filterMatchModes),
  conditions: z.array(
    strictObject({
      left: z.unknown(),
      op: z.enum(filterOperatorNames),
      right: z.unknown().optional(),
      caseSensitive: z.boolean(),
    }),
  ),
});
export type FilterInput = z.output<typeof filterInputSchema>;

/** Every condition with both sides as compared and its result, so the log explains the outcome. */
export const filterOutputSchema = z.object({
  passed: z.boolean().describe('Whether the conditions matched'),
  match: z.enum(filterMatchModes),
  conditions: z.array(
    z.object({
      // Absent when its path found nothing: JSON has no `undefined`.
      left: z.unknown().optional(),
      // Text rather than the operator list: a log written by another version still reads.
      op: z.string(),
      right: z.unknown().optional(),
      caseSensitive: z.boolean().optional(),
      result: z.boolean(),
    }),
  ),
});
export type FilterOutput = z.output<typeof filterOutputSchema>;

export const filterStepType = defineStepSpec({
  type: 'filter',
  title: 'Filter',
  description: 'Continues only when the conditions match; otherwise the execution stops here as filtered.',
  configSchema: filterConfigSchema,
  inputSchema: filterInputSchema,
  outputSchema: filterOutputSchema,
  defaults: (): FilterConfig => ({
    match: 'all',
    conditions: [{ left: '', op: 'equals', right: '', caseSensitive: true }],
  }),
});
