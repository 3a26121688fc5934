import { isApiError } from '../../lib/trpc';

/** A failed request as one sentence for an alert: zod's raw JSON dump is not shown to people. */
export function describeError(error: unknown): string {
  if (!isApiError(error) || !error.data)
    return 'Could not reach AutomateOS. Check your connection and try again.';
  const issues = error.data.issues;
  if (issues && issues.length > 0) return issues.map((issue) => issue.message).join(' ');
  return error.message;
}
