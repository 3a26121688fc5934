import type { FieldValues, Path, UseFormSetError } from 'react-hook-form';
import { isApiError } from './trpc';

/**
 * Shows a failed mutation on its form: the server's field errors under the fields they name,
 * everything else (wrong password, duplicate email, rate limit, network) as the form-level error
 * `errors.root.server`.
 */
export function showServerError<T extends FieldValues>(
  error: unknown,
  setError: UseFormSetError<T>,
  fields: readonly Path<T>[],
) {
  if (!isApiError(error) || !error.data) {
    setError('root.server', { message: 'Could not reach AutomateOS. Check your connection and try again.' });
    return;
  }
  const { fieldErrors = {}, issues } = error.data;
  let placed = false;
  for (const field of fields) {
    const message = fieldErrors[field]?.[0];
    if (!message) continue;
    setError(field, { type: 'server', message }, { shouldFocus: !placed });
    placed = true;
  }
  const isOnForm = (name: string | undefined) => fields.some((field) => field === name);
  const unplaced = issues
    ? issues.filter((issue) => !isOnForm(issue.path[0])).map((issue) => issue.message)
    : Object.entries(fieldErrors).flatMap(([name, messages]) => (isOnForm(name) ? [] : (messages ?? [])));
  if (placed && unplaced.length === 0) return;
  // A validation error's own message is zod's JSON dump, not something to show a person.
  const fallback = issues ? 'Check the form and try again.' : error.message;
  setError('root.server', { message: unplaced.length > 0 ? unplaced.join(' ') : fallback });
}
