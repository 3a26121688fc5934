import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatIssuePath, formatIssues } from './issues';

describe('formatIssuePath', () => {
  it('writes paths as a reader would type them', () => {
    expect(formatIssuePath([])).toBe('');
    expect(formatIssuePath(['steps', 1, 'config', 'url'])).toBe('steps[1].config.url');
    expect(formatIssuePath(['steps', 0, 'config', 'headers', 'X-Source'])).toBe(
      'steps[0].config.headers["X-Source"]',
    );
    expect(formatIssuePath([0, 'a b', '_ok', '$also'])).toBe('[0]["a b"]._ok.$also');
  });
});

describe('formatIssues', () => {
  it('lists each issue with its path and message', () => {
    const schema = z.strictObject({ a: z.string(), b: z.array(z.number()) });
    const result = schema.safeParse({ a: 1, b: [1, 'x'], c: true });
    expect(result.error && formatIssues(result.error)).toEqual([
      { path: 'a', message: 'Invalid input: expected string, received number' },
      { path: 'b[1]', message: 'Invalid input: expected number, received string' },
      { path: 'c', message: 'Unrecognized key: "c"' },
    ]);
  });
});
