import { describe, expect, it } from 'vitest';
import { httpSummary } from './http-log-view';

describe('httpSummary', () => {
  it('reads method, url and status when they are there', () => {
    expect(
      httpSummary(
        { method: 'POST', url: 'https://x.test' },
        { status: 201, headers: {}, body: '', durationMs: 3 },
      ),
    ).toEqual({ method: 'POST', url: 'https://x.test', status: 201 });
    expect(httpSummary(null, 'text')).toEqual({});
  });
});
