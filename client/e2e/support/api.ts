import type { APIRequestContext } from '@playwright/test';

export interface TestUser {
  name: string;
  email: string;
  password: string;
}

let created = 0;

/** A user no earlier run has registered; nothing is sent to the server. */
export function newUser(overrides: Partial<TestUser> = {}): TestUser {
  const id = `${Date.now().toString(36)}-${process.pid}-${created++}`;
  return {
    name: 'Ada Lovelace',
    email: `ada-${id}@example.com`,
    password: 'correct horse battery',
    ...overrides,
  };
}

/**
 * Registers a user through the API. The session cookie lands in `request`'s cookie jar: pass
 * `page.request` to be signed in as that user in the page, or the `request` fixture to stay signed out.
 */
export async function registerUser(request: APIRequestContext, user: TestUser = newUser()) {
  // tRPC with the superjson transformer expects its input wrapped as { json }.
  const response = await request.post('/trpc/auth.register', { data: { json: user } });
  if (!response.ok())
    throw new Error(`auth.register answered ${response.status()}: ${await response.text()}`);
  return user;
}
