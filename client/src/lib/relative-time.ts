const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
const sameYear = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric' });
const otherYear = new Intl.DateTimeFormat('en', { month: 'short', day: 'numeric', year: 'numeric' });
const exact = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'medium' });

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * "just now", "12 seconds ago", "5 minutes ago", "yesterday", "in 3 hours", then the date: how lists
 * say when. Within 10 seconds either way is "just now", so a clock a little ahead of the server's
 * does not say "in 3 seconds".
 */
export function formatRelativeTime(date: Date, now: Date | number = Date.now()): string {
  const elapsed = (typeof now === 'number' ? now : now.getTime()) - date.getTime();
  const distance = Math.abs(elapsed);
  const sign = elapsed >= 0 ? -1 : 1;
  if (distance <= 10 * SECOND) return 'just now';
  if (distance < MINUTE) return relative.format(sign * Math.round(distance / SECOND), 'second');
  if (distance < HOUR) return relative.format(sign * Math.max(1, Math.round(distance / MINUTE)), 'minute');
  if (distance < DAY) return relative.format(sign * Math.round(distance / HOUR), 'hour');
  if (distance < 7 * DAY) return relative.format(sign * Math.round(distance / DAY), 'day');
  const year = typeof now === 'number' ? new Date(now).getFullYear() : now.getFullYear();
  return (date.getFullYear() === year ? sameYear : otherYear).format(date);
}

/** The full date and time, for titles and detail pages. */
export function formatExact(date: Date): string {
  return exact.format(date);
}
