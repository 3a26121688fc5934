import { describe, expect, it } from 'vitest';
import { filterOutputOf, operatorLabel, takesRight } from './filter-log-view';

describe('filterOutputOf', () => {
  it('reads a Filter step output', () => {
    const output = {
      passed: false,
      match: 'all',
      conditions: [{ left: 'free', op: 'equals', right: 'pro', caseSensitive: true, result: false }],
    };
    expect(filterOutputOf(output)).toEqual(output);
  });

  it('keeps a missing left-hand value missing', () => {
    const parsed = filterOutputOf({
      passed: false,
      match: 'all',
      conditions: [{ op: 'exists', result: false }],
    });
    expect(parsed?.conditions[0]).toEqual({ left: undefined, op: 'exists', right: undefined, result: false });
  });

  it('refuses anything else', () => {
    expect(filterOutputOf(null)).toBeNull();
    expect(filterOutputOf({ passed: 'yes', match: 'all', conditions: [] })).toBeNull();
    expect(filterOutputOf({ passed: true, match: 'all', conditions: [{ op: 'equals' }] })).toBeNull();
  });
});

describe('operators', () => {
  it('names known operators and passes unknown ones through', () => {
    expect(operatorLabel('equals')).toBe('is equal to');
    expect(operatorLabel('toString')).toBe('toString');
    expect(takesRight('equals')).toBe(true);
    expect(takesRight('exists')).toBe(false);
  });
});
