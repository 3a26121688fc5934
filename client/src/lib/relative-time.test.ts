import { describe, expect, it } from 'vitest';
import { formatRelativeTime } from './relative-time';

const now = new Date('2025-06-15T12:00:00Z');
const ago = (ms: number) => formatRelativeTime(new Date(now.getTime() - ms), now);

describe('formatRelativeTime', () => {
  it('says how long ago, in the largest unit that fits', () => {
    expect(ago(10_000)).toBe('just now');
    expect(ago(-5_000)).toBe('just now');
    expect(ago(60_000)).toBe('1 minute ago');
    expect(ago(5 * 60_000)).toBe('5 minutes ago');
    expect(ago(3 * 3_600_000)).toBe('3 hours ago');
    expect(ago(26 * 3_600_000)).toBe('yesterday');
    expect(ago(3 * 86_400_000)).toBe('3 days ago');
  });

  it('counts seconds within the first minute, and looks ahead as well as back', () => {
    expect(ago(12_000)).toBe('12 seconds ago');
    expect(ago(-12_000)).toBe('in 12 seconds');
    expect(ago(-5 * 60_000)).toBe('in 5 minutes');
    expect(formatRelativeTime(new Date(now.getTime() - 3 * 3_600_000), now.getTime())).toBe('3 hours ago');
  });

  it('gives the date after a week', () => {
    expect(formatRelativeTime(new Date('2025-03-04T12:00:00Z'), now)).toBe('Mar 4');
    expect(formatRelativeTime(new Date('2024-03-04T12:00:00Z'), now)).toBe('Mar 4, 2024');
  });
});
