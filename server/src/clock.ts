/**
 * The time, as the scheduler and the services that arm schedules read it. Tests pass a clock they
 * move by hand, so a day of slots (or a daylight-saving change) takes milliseconds, not a day.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
