import { z } from 'zod';
import { cronProblem, daylightSavingNotes, describeCron, nextRuns, timeZoneProblem } from './cron';
import { defineTriggerSpec } from './node-spec';
import { strictObject } from './schema-builders';

/** After downtime: `runOnce` runs one catch-up execution for the slots missed, `skip` runs none. */
export const missedPolicies = ['skip', 'runOnce'] as const;
export type MissedPolicy = (typeof missedPolicies)[number];

export const cronSchema = z
  .string({ error: 'Cron is required, e.g. 0 9 * * 1-5' })
  .trim()
  .superRefine((cron, ctx) => {
    const problem = cronProblem(cron);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const timeZoneSchema = z
  .string({ error: 'Time zone is required: an IANA name such as Europe/Berlin' })
  .superRefine((timezone, ctx) => {
    const problem = timeZoneProblem(timezone);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const scheduleTriggerConfigSchema = strictObject({
  cron: cronSchema,
  timezone: timeZoneSchema,
  missed: z
    .enum(missedPolicies, { error: `missed must be one of ${missedPolicies.join(', ')}` })
    .default('runOnce'),
});
export type ScheduleTriggerConfig = z.output<typeof scheduleTriggerConfigSchema>;

/** What a scheduled execution stores. Loose, so a row written by a later version keeps its fields. */
export const scheduleTriggerDataSchema = z.looseObject({
  /** The slot, as an ISO 8601 instant (UTC). */
  scheduledFor: z.string(),
  firedAt: z.string(),
  timezone: z.string(),
  cron: z.string(),
  /** Set on the one execution `runOnce` starts for slots missed while no scheduler was running. */
  catchUp: z.object({ missedSlots: z.number(), firstMissed: z.string(), more: z.boolean() }).optional(),
});
export type ScheduleTriggerData = z.output<typeof scheduleTriggerDataSchema>;

/** The zone of the runtime: in the editor, the browser's. */
const localTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export const scheduleTriggerType = defineTriggerSpec({
  type: 'schedule',
  title: 'Schedule',
  description: 'Runs the workflow at the times a cron expression gives, in a time zone.',
  configSchema: scheduleTriggerConfigSchema,
  defaults: (): ScheduleTriggerConfig => ({
    cron: '0 9 * * 1-5',
    timezone: localTimeZone(),
    missed: 'runOnce',
  }),
  dataSchema: scheduleTriggerDataSchema,
  fields: {
    scheduledFor: 'The slot this run is for, an ISO 8601 instant, e.g. 2026-12-07T08:00:00.000Z',
    firedAt: 'When the scheduler started the run (ISO 8601)',
    timezone: "The schedule's time zone, e.g. Europe/Berlin",
  },
});

export const MAX_PREVIEW_RUNS = 50;

/** `workflows.previewSchedule`: the checks of the trigger's own fields, so errors read the same. */
export const previewScheduleInput = strictObject({
  cron: cronSchema,
  timezone: timeZoneSchema,
  /** Runs strictly after this instant; default now. */
  from: z.iso.datetime({ offset: true, error: 'from must be an ISO 8601 date-time' }).optional(),
  count: z
    .int('count must be a whole number')
    .min(1, 'count must be at least 1')
    .max(MAX_PREVIEW_RUNS, `count must be at most ${MAX_PREVIEW_RUNS}`)
    .default(5),
});
export type PreviewScheduleInput = z.input<typeof previewScheduleInput>;
/** The input as the procedure receives it, defaults applied. */
export type PreviewScheduleRequest = z.output<typeof previewScheduleInput>;

export interface SchedulePreview {
  /** The schedule in words: "every weekday at 09:00". */
  description: string;
  /** The next runs, ISO 8601 instants (UTC). */
  runs: string[];
  /** Runs that a daylight-saving change in the coming year moves, skips or repeats, in sentences. */
  warnings: string[];
}

/** The same walk the scheduler makes, from `from`. Expects a cron and zone the schemas accepted. */
export function previewSchedule(input: {
  cron: string;
  timezone: string;
  from: Date;
  count: number;
}): SchedulePreview {
  const schedule = { cron: input.cron, timezone: input.timezone };
  return {
    description: describeCron(input.cron),
    runs: nextRuns(schedule, input.from, input.count).map((run) => run.toISOString()),
    warnings: daylightSavingNotes(schedule, input.from),
  };
}
