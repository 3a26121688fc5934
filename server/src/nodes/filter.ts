import { type FilterInput, filterStepType, isUnaryOperator, resolveOperand } from '@automateos/shared';
import {
  evaluateCondition,
  FilterConditionError,
  MAX_REGEX_TEXT,
  matchesRegexWith,
  regexText,
} from './filter-conditions';
import { testRegex } from './regex-pool';
import { defineNode, StepFailure } from './types';

export const filterNode = defineNode(filterStepType, {
  sideEffects: false,
  // Operands resolve with their type, and a missing path stays `undefined` so `exists` can tell.
  resolve(config, scope) {
    const missing = new Set<string>();
    const conditions = config.conditions.map((condition) => {
      const left = resolveOperand(condition.left, scope);
      for (const path of left.missing) missing.add(path);
      const resolved: FilterInput['conditions'][number] = {
        left: left.value,
        op: condition.op,
        caseSensitive: condition.caseSensitive ?? true,
      };
      if (!isUnaryOperator(condition.op) && condition.right !== undefined) {
        const right = resolveOperand(condition.right, scope);
        for (const path of right.missing) missing.add(path);
        resolved.right = right.value;
      }
      return resolved;
    });
    return { input: { match: config.match, conditions }, missing: [...missing] };
  },

  async run(input) {
    try {
      const conditions = [];
      for (const condition of input.conditions) {
        if (condition.op !== 'matchesRegex') {
          conditions.push({ ...condition, result: evaluateCondition(condition) });
          continue;
        }
        // Long texts are matched on the regex thread, so other executions keep the event loop.
        const result = await matchesRegexWith(condition, testRegex);
        const { cutFrom } = regexText(condition.left);
        const note =
          cutFrom === undefined
            ? undefined
            : `Tested the first ${MAX_REGEX_TEXT} of ${cutFrom} characters (the limit for matchesRegex).`;
        conditions.push({ ...condition, result, ...(note ? { note } : {}) });
      }
      const passed =
        input.match === 'all' ? conditions.every((c) => c.result) : conditions.some((c) => c.result);
      // The output lists every condition with both sides as compared, so the log explains the outcome.
      const output = { passed, match: input.match, conditions };
      return passed ? { kind: 'continue', output, attempts: 1 } : { kind: 'stop', output };
    } catch (error) {
      if (error instanceof FilterConditionError) throw new StepFailure(error.message, 'INVALID_CONDITION');
      throw error;
    }
  },
});
