import type { UseFormSetError } from 'react-hook-form';
import { describe, expect, it } from 'vitest';
import { showServerError } from './form-errors';
import { apiError } from './test-errors';

type SignInForm = { email: string; password: string };

function show(error: unknown) {
  const shown: Record<string, string | undefined> = {};
  const setError: UseFormSetError<SignInForm> = (name, { message }) => {
    shown[name] = message;
  };
  showServerError(error, setError, ['email', 'password']);
  return shown;
}

const validationError = (
  fieldErrors: Record<string, string[]>,
  issues: { path: string[]; message: string }[],
) => apiError('BAD_REQUEST', 400, '[{"code":"invalid_format"…}]', { fieldErrors, issues });

describe('showServerError', () => {
  it('puts field errors under their fields and nothing above the button', () => {
    const error = validationError({ email: ['Enter a valid email address'] }, [
      { path: ['email'], message: 'Enter a valid email address' },
    ]);
    expect(show(error)).toEqual({ email: 'Enter a valid email address' });
  });

  it('shows errors about fields the form does not have, or about the whole input, on the form', () => {
    const error = validationError({ role: ['Not allowed'] }, [
      { path: ['role'], message: 'Not allowed' },
      { path: [], message: 'Unrecognized key: "role"' },
    ]);
    expect(show(error)).toEqual({ 'root.server': 'Not allowed Unrecognized key: "role"' });
  });

  it("never shows a validation error's raw message", () => {
    expect(show(validationError({}, []))).toEqual({ 'root.server': 'Check the form and try again.' });
  });

  it('shows other API errors with their message', () => {
    expect(show(apiError('UNAUTHORIZED', 401, 'Wrong email or password'))).toEqual({
      'root.server': 'Wrong email or password',
    });
    expect(show(apiError('CONFLICT', 409, 'An account with this email already exists.'))).toEqual({
      'root.server': 'An account with this email already exists.',
    });
  });

  it('explains a request that never reached the server', () => {
    expect(show(new TypeError('Failed to fetch'))).toEqual({
      'root.server': 'Could not reach AutomateOS. Check your connection and try again.',
    });
  });
});
