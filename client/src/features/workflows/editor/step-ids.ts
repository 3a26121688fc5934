import type { StepType } from '@automateos/shared';

/**
 * The first free id of the form `<type>-<n>` (http-1, http-2, filter-1…): short enough to read well
 * in an expression such as `{{ steps.http-1.body }}`, and never one another step already uses.
 */
export function uniqueStepId(type: StepType, takenIds: Iterable<unknown>): string {
  const taken = new Set(takenIds);
  for (let n = 1; ; n += 1) {
    const id = `${type}-${n}`;
    if (!taken.has(id)) return id;
  }
}

/** "HTTP Request", then "HTTP Request 2"…: a new step's name, different from the names already in use. */
export function uniqueStepName(title: string, takenNames: Iterable<unknown>): string {
  const taken = new Set(takenNames);
  if (!taken.has(title)) return title;
  for (let n = 2; ; n += 1) {
    const name = `${title} ${n}`;
    if (!taken.has(name)) return name;
  }
}
