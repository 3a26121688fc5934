import { scheduleTriggerType } from '@automateos/shared';
import { defineTrigger } from './types';

/** Scheduled executions are created by the scheduler (engine/scheduler.ts) when a slot comes due. */
export const scheduleTrigger = defineTrigger(scheduleTriggerType, {
  webhook: false,

  // "Run now": a slot of this very moment. The payload box is not offered for schedules.
  testRunData(config) {
    const now = new Date().toISOString();
    return { scheduledFor: now, firedAt: now, timezone: config.timezone, cron: config.cron };
  },

  // The same slot again, started now; a catch-up's note stays with the run it belonged to.
  rerunData({ catchUp: _catchUp, ...data }) {
    return { ...data, firedAt: new Date().toISOString() };
  },
});
