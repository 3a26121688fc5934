import { describe, expect, it } from 'vitest';
import { filteredOutcome, modeLabel } from './outcome';

describe('filteredOutcome', () => {
  const steps = [{ id: 'notify' }, { id: 'only-pro' }, { id: 'tell-sales' }, { id: 'log' }];
  const logs = (filterId: string) => [
    { stepId: 'notify', name: 'Notify billing', status: 'succeeded' },
    { stepId: filterId, name: 'Only pro users', status: 'filtered' },
  ];

  it('says nothing was skipped when the filter was the last step', () => {
    expect(filteredOutcome(steps.slice(0, 2), logs('only-pro'))).toEqual({
      title: 'Filtered by “Only pro users”',
      description:
        'Its conditions were not met, so the execution ended there. It was the last step: nothing was skipped.',
    });
  });

  it('counts the steps that did not run after it', () => {
    expect(filteredOutcome(steps.slice(0, 3), logs('only-pro')).description).toMatch(
      /the step after it did not run\.$/,
    );
    expect(filteredOutcome(steps, logs('only-pro')).description).toMatch(
      /the 2 steps after it did not run\.$/,
    );
  });
});

describe('modeLabel', () => {
  it('names test runs and re-runs, and trigger modes by their trigger', () => {
    expect(modeLabel('manual')).toBe('Test run');
    expect(modeLabel('rerun')).toBe('Re-run');
    expect(modeLabel('webhook')).toBe('Webhook');
  });
});
