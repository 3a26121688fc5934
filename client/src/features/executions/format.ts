import { useEffect, useState } from 'react';

/** "85 ms", "2.4 s", "3 min 5 s", "1 h 2 min": precise for quick steps, readable for slow ones. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const totalSeconds = Math.round(ms / 1_000);
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min ${seconds} s`;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1_000],
];

/** "just now", "12 seconds ago", "3 hours ago", "yesterday". */
export function formatRelative(date: Date, now: number): string {
  const elapsed = date.getTime() - now;
  if (Math.abs(elapsed) < 5_000) return 'just now';
  for (const [unit, size] of units) {
    if (Math.abs(elapsed) >= size || unit === 'second')
      return relative.format(Math.round(elapsed / size), unit);
  }
  return relative.format(0, 'second');
}

const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** The full date and time, for titles and detail pages. */
export function formatExact(date: Date): string {
  return exact.format(date);
}

/** The current time, updated every `intervalMs`, so relative times and running durations move on. */
export function useNow(intervalMs = 10_000): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
