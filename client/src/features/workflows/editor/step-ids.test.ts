import { describe, expect, it } from 'vitest';
import { uniqueStepId, uniqueStepName } from './step-ids';

describe('uniqueStepId', () => {
  it('numbers steps of a type from 1', () => {
    expect(uniqueStepId('http', [])).toBe('http-1');
    expect(uniqueStepId('filter', ['http-1'])).toBe('filter-1');
  });

  it('takes the first number no step uses, filling gaps left by removed steps', () => {
    expect(uniqueStepId('http', ['http-1', 'http-2'])).toBe('http-3');
    expect(uniqueStepId('http', ['http-1', 'http-3'])).toBe('http-2');
  });

  it('ignores ids that are not strings, as a definition typed in the JSON tab may have', () => {
    expect(uniqueStepId('http', [undefined, 42, null, 'http-1'])).toBe('http-2');
  });

  it('gives ids the step id rule accepts', () => {
    expect(uniqueStepId('filter', ['filter-1'])).toMatch(/^[a-z0-9-]{1,64}$/);
  });
});

describe('uniqueStepName', () => {
  it('uses the title, then numbers it', () => {
    expect(uniqueStepName('Filter', [])).toBe('Filter');
    expect(uniqueStepName('Filter', ['Filter'])).toBe('Filter 2');
    expect(uniqueStepName('Filter', ['Filter', 'Filter 2'])).toBe('Filter 3');
  });
});
