import { expect, type Page, test } from '@playwright/test';
import { newUser, registerUser, type TestUser } from './support/api';

async function fillSignIn(page: Page, { email, password }: Pick<TestUser, 'email' | 'password'>) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('sign up, sign out, sign in again and stay signed in across a reload', async ({ page }) => {
  const user = newUser();
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);

  await page.getByRole('link', { name: 'Create an account' }).click();
  await page.getByLabel('Name').fill(user.name);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: 'Workflows', exact: true })).toBeVisible();
  await expect(page.getByText('No workflows yet')).toBeVisible();
  // The header greets with the name given at sign-up; the email is its tooltip.
  await expect(page.getByTestId('signed-in-as')).toHaveText(user.name);
  await expect(page.getByTestId('signed-in-as')).toHaveAttribute('title', user.email);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  await page.goto('/');
  await expect(page).toHaveURL(/\/sign-in$/);

  await fillSignIn(page, user);
  await expect(page.getByText('No workflows yet')).toBeVisible();

  await page.reload();
  await expect(page.getByText('No workflows yet')).toBeVisible();
  await expect(page.getByTestId('signed-in-as')).toHaveText(user.name);
});

test('a wrong password is reported on the form', async ({ page, request }) => {
  const user = await registerUser(request);
  await page.goto('/sign-in');
  await fillSignIn(page, { email: user.email, password: 'not the password' });

  await expect(page.getByRole('alert')).toContainText('Wrong email or password');
  await expect(page).toHaveURL(/\/sign-in$/);
});

test('too many failed attempts are reported on the form', async ({ page, request }) => {
  const user = await registerUser(request);
  for (let attempt = 0; attempt < 10; attempt++) {
    await request.post('/trpc/auth.login', {
      data: { json: { email: user.email, password: 'wrong password' } },
    });
  }
  await page.goto('/sign-in');
  await fillSignIn(page, user);

  await expect(page.getByRole('alert')).toContainText('Too many failed sign-in attempts');
});

test('an email that already has an account is reported on the form', async ({ page, request }) => {
  const user = await registerUser(request);
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('alert')).toContainText('An account with this email already exists');
  await expect(page).toHaveURL(/\/sign-up$/);
});

test('a too-short password is caught in the browser without asking the server', async ({ page }) => {
  const registerCalls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('auth.register')) registerCalls.push(req.url());
  });
  await page.goto('/sign-up');
  await page.getByLabel('Email').fill(newUser().email);
  const password = page.getByLabel('Password');
  await password.fill('short');
  await password.blur();
  await expect(page.getByText('Password must be at least 8 characters')).toBeVisible();

  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(password).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByText('Password must be at least 8 characters')).toBeVisible();
  expect(registerCalls).toEqual([]);
});

test('signed-in visitors skip the sign-in page; unknown addresses show a 404', async ({ page }) => {
  await registerUser(page.request);
  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Workflows', exact: true })).toBeVisible();

  await page.goto('/no/such/page');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
});
