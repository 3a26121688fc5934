/**
 * What the database announces on LIVE_CHANNEL: the triggers of drizzle/0003_live_notify.sql send one
 * notification per execution change and per recorded step, from the transaction that makes it.
 */
import { executionModes, executionStatuses, stepStatuses } from '@automateos/shared';
import { z } from 'zod';

export const LIVE_CHANNEL = 'automateos_live';

/**
 * `position`: the oldest transaction still running when the change was made. Every change by an older
 * transaction committed before this one did, and notifications arrive in commit order, so whoever
 * received this notification has received theirs too (see the migration).
 */
const position = z.number().int().nonnegative();

const timestamp = z.string().transform((value) => new Date(value));
const uuid = z.string();

const notificationSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('execution'),
    userId: uuid,
    position,
    /** The error was too large for a notification: read it from the row. */
    errorOmitted: z.boolean(),
    execution: z.object({
      id: uuid,
      workflowId: uuid,
      workflowName: z.string(),
      status: z.enum(executionStatuses),
      mode: z.enum(executionModes),
      error: z
        .object({
          message: z.string(),
          code: z.string().optional(),
          stepId: z.string().optional(),
          details: z.unknown().optional(),
        })
        .nullable(),
      attempt: z.number().int(),
      createdAt: timestamp,
      startedAt: timestamp.nullable(),
      finishedAt: timestamp.nullable(),
      // Absent from a notification sent before 0004_schedules replaced the function.
      scheduledFor: timestamp.nullable().default(null),
    }),
  }),
  z.object({
    kind: z.literal('step'),
    executionId: uuid,
    stepId: z.string(),
    status: z.enum(stepStatuses),
    position,
  }),
  /** Deliveries of a workflow's webhook were recorded or answered (drizzle/0008_webhook_deliveries.sql). */
  z.object({ kind: z.literal('delivery'), userId: uuid, workflowId: uuid, position }),
]);

export type LiveNotification = z.infer<typeof notificationSchema>;
export type ExecutionNotification = Extract<LiveNotification, { kind: 'execution' }>;

/** The notification, or null for a payload this version does not know (a newer migration, say). */
export function parseNotification(payload: string): LiveNotification | null {
  try {
    const parsed = notificationSchema.safeParse(JSON.parse(payload));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
