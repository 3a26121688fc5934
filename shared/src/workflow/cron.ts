/**
 * Cron schedules in a time zone: validation, next runs, words, and what daylight-saving changes do to
 * them. One parser (croner) for the editor, the API and the scheduler, so a schedule that saves is the
 * schedule that fires, and its preview lists the slots the scheduler will fire.
 *
 * DST rules (croner's, after Vixie cron; see the README): a fixed-time job (no wildcard or step in the
 * minute and hour fields, e.g. `30 2 * * *`) runs once on the day of a change — in a spring gap at the
 * first minute after the gap, in an autumn overlap at the first of the two times. An interval job
 * (`*\/15 * * * *`, `30 * * * *`) follows real time: times that do not exist are skipped, and a
 * repeated hour is run through twice.
 */
import { Cron } from 'croner';
import cronstrue from 'cronstrue';

export interface CronSchedule {
  cron: string;
  timezone: string;
}

const CRON_FIELDS = 'minute hour day-of-month month day-of-week';
const CRON_EXAMPLE = 'e.g. 0 9 * * 1-5 (09:00, Monday to Friday)';

/** What a cron nickname means in five fields, to say so when one is refused. */
const NICKNAMES: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function compile(cron: string, timezone: string): Cron {
  return new Cron(cron, { timezone, paused: true, mode: '5-part', fixedTimeRule: 'no-wildcard' });
}

/** Why `cron` is not a schedule we run, in words that name the field at fault; undefined when it is. */
export function cronProblem(cron: string): string | undefined {
  const text = cron.trim();
  if (text === '') return `Cron is required: 5 fields (${CRON_FIELDS}), ${CRON_EXAMPLE}`;
  const nickname = NICKNAMES[text.toLowerCase()];
  if (nickname) return `${text} is not supported: write it as ${nickname}`;
  if (text.startsWith('@')) return `${text} is not supported: use 5 fields (${CRON_FIELDS})`;
  const fields = text.split(/\s+/).length;
  if (fields === 6 || fields === 7) {
    return `Cron has ${fields} fields: the seconds field is not supported (schedules run at whole minutes). Use 5 fields: ${CRON_FIELDS}`;
  }
  if (fields !== 5) return `Cron needs 5 fields (${CRON_FIELDS}), this has ${fields}: ${CRON_EXAMPLE}`;
  let schedule: Cron;
  try {
    schedule = compile(text, 'UTC');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const reason = message.replace(/^CronPattern:\s*/, '');
    return `Invalid cron: ${reason.charAt(0).toLowerCase()}${reason.slice(1)}`;
  }
  // croner looks years ahead; a date that never comes (30 February) finds nothing.
  if (schedule.nextRun(new Date(0)) === null) return `This cron never matches a date (${text})`;
  return undefined;
}

const TIME_ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** Why `timezone` is not an IANA time zone this runtime knows; undefined when it is. */
export function timeZoneProblem(timezone: string): string | undefined {
  const example = 'an IANA name such as Europe/Berlin, America/New_York or UTC';
  if (timezone.trim() === '') return `Time zone is required: ${example}`;
  // Intl also takes offsets ("+01:00") in some runtimes; those do not follow daylight saving.
  if (!TIME_ZONE_NAME.test(timezone)) return `"${timezone}" is not a time zone name: use ${example}`;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    return `Unknown time zone "${timezone}": use ${example}`;
  }
  if (resolved !== timezone && resolved.toLowerCase() === timezone.toLowerCase()) {
    return `Time zone names are case-sensitive: use ${resolved}`;
  }
  return undefined;
}

/** The first run strictly after `after`, or null when there is none. Throws for an invalid schedule. */
export function nextRunAfter(schedule: CronSchedule, after: Date): Date | null {
  return compile(schedule.cron, schedule.timezone).nextRun(after);
}

/** The next `count` runs strictly after `after`. */
export function nextRuns(schedule: CronSchedule, after: Date, count: number): Date[] {
  return compile(schedule.cron, schedule.timezone).nextRuns(count, after);
}

/**
 * The runs in (after, until], oldest first: at most `limit` of them, and whether there were more.
 * Walks forwards with the same steps as `nextRunAfter`, so it lists exactly the slots the scheduler
 * would have fired one by one.
 */
export function runsBetween(
  schedule: CronSchedule,
  after: Date,
  until: Date,
  limit: number,
): { runs: Date[]; more: boolean } {
  const compiled = compile(schedule.cron, schedule.timezone);
  const runs: Date[] = [];
  let cursor: Date | null = compiled.nextRun(after);
  while (cursor && cursor.getTime() <= until.getTime()) {
    if (runs.length === limit) return { runs, more: true };
    runs.push(cursor);
    cursor = compiled.nextRun(cursor);
  }
  return { runs, more: false };
}

/** The latest run at or before `at`, or null when there is none. */
export function lastRunAtOrBefore(schedule: CronSchedule, at: Date): Date | null {
  const [run] = compile(schedule.cron, schedule.timezone).previousRuns(1, new Date(at.getTime() + 1));
  return run ?? null;
}

// ---------------------------------------------------------------------------------------------
// The simple modes of the editor's form, and the schedule in words.

export const MINUTE_INTERVALS = [1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 30] as const;
export const WEEKDAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
] as const;

/** The schedules the form builds without cron; each compiles to one cron expression. */
export type SimpleSchedule =
  | { mode: 'minutes'; every: number }
  | { mode: 'hourly'; minute: number }
  | { mode: 'daily'; hour: number; minute: number }
  /** `days`: 0 = Sunday … 6 = Saturday. */
  | { mode: 'weekly'; days: number[]; hour: number; minute: number };

/** Day numbers as a cron day-of-week field: runs of three or more become ranges (`1-5`). */
function daysField(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const first = sorted[i];
    const last = sorted[j];
    if (j - i >= 2) parts.push(`${first}-${last}`);
    else parts.push(...sorted.slice(i, j + 1).map(String));
    i = j + 1;
  }
  return parts.join(',');
}

export function simpleScheduleToCron(schedule: SimpleSchedule): string {
  switch (schedule.mode) {
    case 'minutes':
      return schedule.every === 1 ? '* * * * *' : `*/${schedule.every} * * * *`;
    case 'hourly':
      return `${schedule.minute} * * * *`;
    case 'daily':
      return `${schedule.minute} ${schedule.hour} * * *`;
    case 'weekly':
      return `${schedule.minute} ${schedule.hour} * * ${daysField(schedule.days)}`;
  }
}

const NUMBER = /^\d{1,2}$/;

function numberIn(text: string, min: number, max: number): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const value = Number(text);
  return value >= min && value <= max ? value : undefined;
}

/** A day-of-week field of numbers and ranges (`1-5`, `0,6`, `1,3,5`) as day numbers; 7 is Sunday. */
function parseDays(field: string): number[] | undefined {
  const days = new Set<number>();
  for (const part of field.split(',')) {
    const [from, to, ...rest] = part.split('-');
    if (from === undefined || rest.length > 0) return undefined;
    const start = numberIn(from, 0, 7);
    const end = to === undefined ? start : numberIn(to, 0, 7);
    if (start === undefined || end === undefined || end < start) return undefined;
    for (let day = start; day <= end; day++) days.add(day % 7);
  }
  return [...days].sort((a, b) => a - b);
}

/** The simple mode a cron expression is written in, or undefined when it needs the cron field. */
export function simpleScheduleOf(cron: string): SimpleSchedule | undefined {
  const fields = cron.trim().split(/\s+/);
  if (fields.length !== 5) return undefined;
  const [minuteField = '', hourField = '', dom, month, dow = ''] = fields;
  if (dom !== '*' || month !== '*') return undefined;
  if (hourField === '*' && dow === '*') {
    if (minuteField === '*') return { mode: 'minutes', every: 1 };
    const step = /^\*\/(\d{1,2})$/.exec(minuteField)?.[1];
    const every = step === undefined ? undefined : Number(step);
    if (every !== undefined && MINUTE_INTERVALS.some((value) => value === every)) {
      return { mode: 'minutes', every };
    }
    const minute = numberIn(minuteField, 0, 59);
    return minute === undefined ? undefined : { mode: 'hourly', minute };
  }
  const minute = numberIn(minuteField, 0, 59);
  const hour = numberIn(hourField, 0, 23);
  if (minute === undefined || hour === undefined) return undefined;
  if (dow === '*') return { mode: 'daily', hour, minute };
  const days = parseDays(dow);
  if (!days) return undefined;
  return days.length === 7 ? { mode: 'daily', hour, minute } : { mode: 'weekly', days, hour, minute };
}

const twoDigits = (value: number) => String(value).padStart(2, '0');
const clock = (hour: number, minute: number) => `${twoDigits(hour)}:${twoDigits(minute)}`;

function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function describeSimple(schedule: SimpleSchedule): string {
  switch (schedule.mode) {
    case 'minutes':
      return schedule.every === 1 ? 'every minute' : `every ${schedule.every} minutes`;
    case 'hourly':
      return `every hour at :${twoDigits(schedule.minute)}`;
    case 'daily':
      return `every day at ${clock(schedule.hour, schedule.minute)}`;
    case 'weekly': {
      const at = clock(schedule.hour, schedule.minute);
      if (daysField(schedule.days) === '1-5') return `every weekday at ${at}`;
      const names = schedule.days.map((day) => WEEKDAY_NAMES[day] ?? String(day));
      return `every ${listInWords(names)} at ${at}`;
    }
  }
}

/** The schedule in words, lower-case so it reads inside a sentence: "every weekday at 09:00". */
export function describeCron(cron: string): string {
  const simple = simpleScheduleOf(cron);
  if (simple) return describeSimple(simple);
  try {
    const words = cronstrue.toString(cron.trim(), { use24HourTimeFormat: true, verbose: false });
    return `${words.charAt(0).toLowerCase()}${words.slice(1)}`;
  } catch {
    return cron.trim();
  }
}

// ---------------------------------------------------------------------------------------------
// Daylight saving: which runs a change of the clocks moves, skips or doubles.

const MINUTE = 60_000;
const wallFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall-clock time in `timezone` at `instant`, as milliseconds of a UTC date with those fields. */
function wallClock(timezone: string, instant: number): number {
  let format = wallFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormats.set(timezone, format);
  }
  const parts = format.formatToParts(instant);
  const field = (type: Intl.DateTimeFormatPartTypes) =>
    Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(
    field('year'),
    field('month') - 1,
    field('day'),
    field('hour'),
    field('minute'),
    field('second'),
  );
}

/** The zone's offset from UTC at `instant`, in milliseconds. */
const offsetAt = (timezone: string, instant: number) =>
  wallClock(timezone, instant) - (instant - (((instant % 1000) + 1000) % 1000));

interface Transition {
  /** The first instant with the new offset. */
  at: number;
  before: number;
  after: number;
}

/** The zone's offset changes in [from, to], found by sampling and narrowed to the minute. */
function transitions(timezone: string, from: number, to: number): Transition[] {
  const found: Transition[] = [];
  const step = 6 * 60 * MINUTE;
  let previous = offsetAt(timezone, from);
  for (let t = from + step; t <= to + step; t += step) {
    const offset = offsetAt(timezone, t);
    if (offset === previous) continue;
    let low = t - step;
    let high = t;
    while (high - low > MINUTE) {
      const middle = Math.floor((low + high) / 2 / MINUTE) * MINUTE;
      if (middle <= low) break;
      if (offsetAt(timezone, middle) === previous) low = middle;
      else high = middle;
    }
    found.push({ at: high, before: previous, after: offset });
    previous = offset;
  }
  return found;
}

const wallTime = (wall: number) => {
  const date = new Date(wall);
  return clock(date.getUTCHours(), date.getUTCMinutes());
};
const wallDate = (wall: number) => new Date(wall).toISOString().slice(0, 10);

function utcOffset(offset: number): string {
  const minutes = Math.round(Math.abs(offset) / MINUTE);
  return `UTC${offset < 0 ? '−' : '+'}${twoDigits(Math.floor(minutes / 60))}:${twoDigits(minutes % 60)}`;
}

/** "02:30", "02:15 and 02:45", or "02:00 to 02:59" for many. */
function timesInWords(walls: readonly number[]): string {
  if (walls.length > 3) return `${wallTime(walls[0] ?? 0)} to ${wallTime(walls.at(-1) ?? 0)}`;
  return listInWords(walls.map(wallTime));
}

/**
 * What the clock changes of the year after `from` do to this schedule, in sentences for the editor:
 * a run that moves out of a spring gap or is skipped in it, and one that an autumn overlap repeats or
 * runs only once. Empty when no change touches it (or the zone has no daylight saving).
 */
export function daylightSavingNotes(schedule: CronSchedule, from: Date): string[] {
  const { timezone } = schedule;
  const zoned = compile(schedule.cron, timezone);
  // The same pattern read in UTC matches wall-clock fields, including times the zone skips.
  const wall = compile(schedule.cron, 'UTC');
  const runsAt = (instant: number) => zoned.nextRun(new Date(instant - 1))?.getTime() === instant;
  const notes: string[] = [];
  // The next change of each kind is enough: the same note would repeat every year.
  const noted = new Set<'gap' | 'overlap'>();
  const start = from.getTime();
  for (const change of transitions(timezone, start, start + 366 * 24 * 60 * MINUTE)) {
    const gap = change.after > change.before;
    if (noted.has(gap ? 'gap' : 'overlap')) continue;
    const first = change.at + Math.min(change.before, change.after);
    const last = change.at + Math.max(change.before, change.after);
    const matches: number[] = [];
    for (let w = first; w < last; w += MINUTE) if (wall.match(new Date(w))) matches.push(w);
    if (matches.length === 0) continue;
    noted.add(gap ? 'gap' : 'overlap');
    const several = matches.length > 1;

    const day = wallDate(first);
    const times = timesInWords(matches);
    const jump = `${wallTime(change.at + change.before)} to ${wallTime(change.at + change.after)}`;
    if (gap) {
      const moved = runsAt(change.at) && !wall.match(new Date(change.at + change.after));
      notes.push(
        `On ${day}, ${times} ${several ? 'do' : 'does'} not exist in ${timezone} (clocks jump from ${jump}): ${
          moved
            ? `${several ? 'they run once, together,' : 'it runs once,'} at ${wallTime(change.at + change.after)}, instead`
            : several
              ? 'those runs are skipped'
              : 'that run is skipped'
        }.`,
      );
    } else {
      const twice = matches.every((w) => runsAt(w - change.before) && runsAt(w - change.after));
      notes.push(
        `On ${day}, ${times} ${several ? 'happen' : 'happens'} twice in ${timezone} (clocks go back from ${jump}): ${
          twice
            ? `${several ? 'they run' : 'it runs'} at both, since the schedule keeps running through the repeated hour`
            : `${several ? 'each runs' : 'it runs'} once, at the first (${utcOffset(change.before)})`
        }.`,
      );
    }
  }
  return notes;
}
