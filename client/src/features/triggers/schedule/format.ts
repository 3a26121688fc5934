/** Instants of a schedule, as its users read them: in the schedule's own zone, and in UTC. */

const formats = new Map<string, Intl.DateTimeFormat>();

function formatFor(timeZone: string): Intl.DateTimeFormat | undefined {
  let format = formats.get(timeZone);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'shortOffset',
      });
    } catch {
      return undefined;
    }
    formats.set(timeZone, format);
  }
  return format;
}

/** "Mon 7 Dec 2026, 09:00 GMT+1"; the ISO text when the zone is not one this browser knows. */
export function formatInZone(instant: Date | string, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return formatFor(timeZone)?.format(date).replace(',', '') ?? date.toISOString();
}

/** "08:00 UTC" on the same day, or "Sun 6 Dec, 23:00 UTC" when UTC is on another date. */
export function formatUtc(instant: Date | string, timeZone: string): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  const time = date.toISOString().slice(11, 16);
  const local = formatFor(timeZone)
    ?.formatToParts(date)
    .find((part) => part.type === 'day')?.value;
  if (local === String(date.getUTCDate())) return `${time} UTC`;
  const day = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'UTC',
    weekday: 'short',
    day: 'numeric',
    month: 'short',
  }).format(date);
  return `${day.replace(',', '')}, ${time} UTC`;
}

/** Every IANA zone this browser knows, for the zone field's suggestions. */
export const knownTimeZones = (): string[] =>
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
