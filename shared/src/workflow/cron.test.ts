import { describe, expect, it } from 'vitest';
import {
  cronProblem,
  daylightSavingNotes,
  describeCron,
  lastRunAtOrBefore,
  nextRuns,
  runsBetween,
  type SimpleSchedule,
  simpleScheduleOf,
  simpleScheduleToCron,
  timeZoneProblem,
} from './cron';
import { previewSchedule, previewScheduleInput, scheduleTriggerConfigSchema } from './schedule';

const iso = (dates: Date[]) => dates.map((date) => date.toISOString());
const berlin = (cron: string) => ({ cron, timezone: 'Europe/Berlin' });
const newYork = (cron: string) => ({ cron, timezone: 'America/New_York' });

describe('cron and time zone checks', () => {
  it('names what is wrong with a cron expression', () => {
    expect(cronProblem('')).toMatch(
      /^Cron is required: 5 fields \(minute hour day-of-month month day-of-week\)/,
    );
    expect(cronProblem('0 0 9 * * 1')).toBe(
      'Cron has 6 fields: the seconds field is not supported (schedules run at whole minutes). Use 5 fields: minute hour day-of-month month day-of-week',
    );
    expect(cronProblem('0 0 9 * * 1 2027')).toMatch(/^Cron has 7 fields: the seconds field is not supported/);
    expect(cronProblem('* * *')).toMatch(/^Cron needs 5 fields \(.*\), this has 3/);
    expect(cronProblem('61 * * * *')).toBe('Invalid cron: invalid value for minute: 61');
    expect(cronProblem('0 25 * * *')).toBe('Invalid cron: invalid value for hour: 25');
    expect(cronProblem('0 9 * * funday')).toMatch(/^Invalid cron: /);
    expect(cronProblem('*/0 * * * *')).toMatch(/^Invalid cron: .*stepping/);
    expect(cronProblem('@daily')).toBe('@daily is not supported: write it as 0 0 * * *');
    expect(cronProblem('@reboot')).toMatch(/^@reboot is not supported/);
    expect(cronProblem('0 0 30 2 *')).toBe('This cron never matches a date (0 0 30 2 *)');
    for (const good of ['0 9 * * 1-5', '*/15 * * * *', '0 9 L * *', '0 9 * * MON-FRI', ' 5 * * * * ']) {
      expect(cronProblem(good), good).toBeUndefined();
    }
  });

  it('names what is wrong with a time zone', () => {
    expect(timeZoneProblem('')).toMatch(/^Time zone is required: an IANA name/);
    expect(timeZoneProblem('Mars/Olympus_Mons')).toBe(
      'Unknown time zone "Mars/Olympus_Mons": use an IANA name such as Europe/Berlin, America/New_York or UTC',
    );
    expect(timeZoneProblem('+01:00')).toMatch(/^"\+01:00" is not a time zone name/);
    expect(timeZoneProblem('europe/berlin')).toBe('Time zone names are case-sensitive: use Europe/Berlin');
    for (const good of ['Europe/Berlin', 'America/New_York', 'UTC', 'Etc/GMT+5', 'US/Eastern']) {
      expect(timeZoneProblem(good), good).toBeUndefined();
    }
  });

  it('puts each problem at its field of the trigger config and of the preview input', () => {
    const result = scheduleTriggerConfigSchema.safeParse({ cron: '0 0 9 * * 1', timezone: 'Nowhere/City' });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['cron', expect.stringContaining('the seconds field is not supported')],
      ['timezone', expect.stringContaining('Unknown time zone "Nowhere/City"')],
    ]);
    expect(scheduleTriggerConfigSchema.parse({ cron: ' 0 9 * * 1-5 ', timezone: 'UTC' })).toEqual({
      cron: '0 9 * * 1-5',
      timezone: 'UTC',
      missed: 'runOnce',
    });
    const missed = scheduleTriggerConfigSchema.safeParse({
      cron: '* * * * *',
      timezone: 'UTC',
      missed: 'all',
    });
    expect(missed.error?.issues[0]?.message).toBe('missed must be one of skip, runOnce');
    const preview = previewScheduleInput.safeParse({ cron: '0 9 * * *', timezone: 'UTC', count: 500 });
    expect(preview.error?.issues[0]).toMatchObject({ path: ['count'], message: 'count must be at most 50' });
  });
});

describe('next runs across daylight-saving changes', () => {
  // Europe/Berlin: 2026-03-29 02:00 CET → 03:00 CEST; 2026-10-25 03:00 CEST → 02:00 CET.
  // America/New_York: 2026-03-08 02:00 EST → 03:00 EDT; 2026-11-01 02:00 EDT → 01:00 EST.
  it('runs a daily 02:30 once on the spring-gap day, at 03:00 just after the gap', () => {
    expect(iso(nextRuns(berlin('30 2 * * *'), new Date('2026-03-27T12:00:00Z'), 4))).toEqual([
      '2026-03-28T01:30:00.000Z', // 02:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST: 02:30 does not exist that day
      '2026-03-30T00:30:00.000Z', // 02:30 CEST
      '2026-03-31T00:30:00.000Z',
    ]);
    expect(iso(nextRuns(newYork('30 2 * * *'), new Date('2026-03-07T12:00:00Z'), 3))).toEqual([
      '2026-03-08T07:00:00.000Z', // 03:00 EDT
      '2026-03-09T06:30:00.000Z', // 02:30 EDT
      '2026-03-10T06:30:00.000Z',
    ]);
  });

  it('runs a daily 01:30 exactly once on the autumn-overlap day, at the first 01:30', () => {
    expect(iso(nextRuns(newYork('30 1 * * *'), new Date('2026-10-31T12:00:00Z'), 3))).toEqual([
      '2026-11-01T05:30:00.000Z', // 01:30 EDT; 01:30 EST (06:30Z) does not run
      '2026-11-02T06:30:00.000Z',
      '2026-11-03T06:30:00.000Z',
    ]);
    expect(iso(nextRuns(berlin('30 2 * * *'), new Date('2026-10-24T12:00:00Z'), 2))).toEqual([
      '2026-10-25T00:30:00.000Z', // 02:30 CEST, not again at 02:30 CET
      '2026-10-26T01:30:00.000Z',
    ]);
  });

  it('keeps interval schedules on real time: nothing in the gap, both passes of the repeated hour', () => {
    expect(iso(nextRuns(berlin('*/30 * * * *'), new Date('2026-03-29T00:10:00Z'), 3))).toEqual([
      '2026-03-29T00:30:00.000Z', // 01:30 CET
      '2026-03-29T01:00:00.000Z', // 03:00 CEST
      '2026-03-29T01:30:00.000Z',
    ]);
    expect(iso(nextRuns(newYork('30 * * * *'), new Date('2026-11-01T04:00:00Z'), 4))).toEqual([
      '2026-11-01T04:30:00.000Z', // 00:30 EDT
      '2026-11-01T05:30:00.000Z', // 01:30 EDT
      '2026-11-01T06:30:00.000Z', // 01:30 EST
      '2026-11-01T07:30:00.000Z', // 02:30 EST
    ]);
  });

  it('walks slots the same way forwards (runsBetween) and backwards (lastRunAtOrBefore)', () => {
    const schedule = newYork('30 1 * * *');
    const { runs, more } = runsBetween(
      schedule,
      new Date('2026-10-30T00:00:00Z'),
      new Date('2026-11-02T12:00:00Z'),
      10,
    );
    expect(more).toBe(false);
    expect(iso(runs)).toEqual([
      '2026-10-30T05:30:00.000Z',
      '2026-10-31T05:30:00.000Z',
      '2026-11-01T05:30:00.000Z',
      '2026-11-02T06:30:00.000Z',
    ]);
    expect(lastRunAtOrBefore(schedule, new Date('2026-11-01T07:00:00Z'))?.toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    expect(lastRunAtOrBefore(schedule, new Date('2026-11-01T05:30:00Z'))?.toISOString()).toBe(
      '2026-11-01T05:30:00.000Z',
    );
    const capped = runsBetween(
      berlin('* * * * *'),
      new Date('2026-01-01T00:00:00Z'),
      new Date('2026-01-02'),
      5,
    );
    expect(capped.runs).toHaveLength(5);
    expect(capped.more).toBe(true);
  });
});

describe('daylight-saving warnings', () => {
  const from = new Date('2026-01-10T00:00:00Z');
  it('says when a fixed time falls into the gap or repeats in the overlap', () => {
    expect(daylightSavingNotes(berlin('30 2 * * *'), from)).toEqual([
      'On 2026-03-29, 02:30 does not exist in Europe/Berlin (clocks jump from 02:00 to 03:00): it runs once, at 03:00, instead.',
      'On 2026-10-25, 02:30 happens twice in Europe/Berlin (clocks go back from 03:00 to 02:00): it runs once, at the first (UTC+02:00).',
    ]);
    expect(daylightSavingNotes(newYork('30 1 * * *'), from)).toEqual([
      'On 2026-11-01, 01:30 happens twice in America/New_York (clocks go back from 02:00 to 01:00): it runs once, at the first (UTC−04:00).',
    ]);
  });

  it('says what an interval schedule does, and nothing for times no change touches', () => {
    expect(daylightSavingNotes(newYork('*/30 * * * *'), from)).toEqual([
      'On 2026-03-08, 02:00 and 02:30 do not exist in America/New_York (clocks jump from 02:00 to 03:00): those runs are skipped.',
      'On 2026-11-01, 01:00 and 01:30 happen twice in America/New_York (clocks go back from 02:00 to 01:00): they run at both, since the schedule keeps running through the repeated hour.',
    ]);
    expect(daylightSavingNotes(berlin('0 9 * * 1-5'), from)).toEqual([]);
    expect(daylightSavingNotes({ cron: '30 2 * * *', timezone: 'UTC' }, from)).toEqual([]);
    // 29 March 2026 is a Sunday: a weekday schedule at 02:30 never meets the gap.
    expect(daylightSavingNotes(berlin('30 2 * * 1-5'), from)).toEqual([]);
  });
});

describe('simple modes and words', () => {
  it('compiles each simple mode to cron and recognises it again', () => {
    const cases: [SimpleSchedule, string, string][] = [
      [{ mode: 'minutes', every: 1 }, '* * * * *', 'every minute'],
      [{ mode: 'minutes', every: 15 }, '*/15 * * * *', 'every 15 minutes'],
      [{ mode: 'hourly', minute: 5 }, '5 * * * *', 'every hour at :05'],
      [{ mode: 'daily', hour: 9, minute: 0 }, '0 9 * * *', 'every day at 09:00'],
      [
        { mode: 'weekly', days: [1, 2, 3, 4, 5], hour: 9, minute: 0 },
        '0 9 * * 1-5',
        'every weekday at 09:00',
      ],
      [
        { mode: 'weekly', days: [1, 3, 5], hour: 18, minute: 30 },
        '30 18 * * 1,3,5',
        'every Monday, Wednesday and Friday at 18:30',
      ],
      [
        { mode: 'weekly', days: [0, 6], hour: 10, minute: 0 },
        '0 10 * * 0,6',
        'every Sunday and Saturday at 10:00',
      ],
    ];
    for (const [simple, cron, words] of cases) {
      expect(simpleScheduleToCron(simple)).toBe(cron);
      expect(simpleScheduleOf(cron)).toEqual(simple);
      expect(describeCron(cron)).toBe(words);
      expect(cronProblem(cron)).toBeUndefined();
    }
    expect(simpleScheduleOf('0 9 * * 0-6')).toEqual({ mode: 'daily', hour: 9, minute: 0 });
    expect(simpleScheduleOf('0 9 * * 7')).toEqual({ mode: 'weekly', days: [0], hour: 9, minute: 0 });
    for (const custom of ['*/7 * * * *', '0 9 1 * *', '0 9 * * MON', '0 9-17 * * *', '0 0 9 * * *']) {
      expect(simpleScheduleOf(custom), custom).toBeUndefined();
    }
  });

  it('describes other cron expressions in words', () => {
    expect(describeCron('0 9 1 * *')).toBe('at 09:00, on day 1 of the month');
    expect(describeCron('0 9 L * *')).toBe('at 09:00, on the last day of the month');
  });

  it('previews the next runs with the same walk and the warnings', () => {
    const preview = previewSchedule({
      cron: '30 2 * * *',
      timezone: 'Europe/Berlin',
      from: new Date('2026-03-27T12:00:00Z'),
      count: 3,
    });
    expect(preview).toEqual({
      description: 'every day at 02:30',
      runs: ['2026-03-28T01:30:00.000Z', '2026-03-29T01:00:00.000Z', '2026-03-30T00:30:00.000Z'],
      warnings: [
        expect.stringContaining('On 2026-03-29, 02:30 does not exist'),
        expect.stringContaining('On 2026-10-25, 02:30 happens twice'),
      ],
    });
  });
});
