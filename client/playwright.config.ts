import { chmodSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';

// E2E_PORT lets several checkouts run the suite side by side.
const port = Number(process.env.E2E_PORT ?? 3417);
const baseURL = `http://127.0.0.1:${port}`;

function freshDataDir() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'automateos-e2e-'));
  // The embedded PostgreSQL runs as an unprivileged user when started as root and must reach its data.
  chmodSync(dir, 0o755);
  return dir;
}
// Playwright loads this file again in each worker; the environment hands them the runner's directory.
process.env.AUTOMATEOS_E2E_DATA_DIR ??= freshDataDir();

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  // The product, its database and the browser share two cores: give slow renders room, not retries.
  expect: { timeout: 10_000 },
  // The longest specs walk a whole loop through the UI; on a busy machine 30 s is not always enough.
  timeout: 60_000,
  forbidOnly: !!process.env.CI,
  reporter: [['list'], ['json', { outputFile: '../.reports/e2e.json' }]],
  use: {
    baseURL,
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        ...devices['Desktop Chrome'],
        headless: true,
        launchOptions: {
          executablePath: '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
  ],
  webServer: {
    command: 'npm start --prefix ..',
    url: `${baseURL}/readyz`,
    env: {
      PORT: String(port),
      AUTOMATEOS_DATA_DIR: process.env.AUTOMATEOS_E2E_DATA_DIR,
      // The executions spec points workflows at an HTTP server of its own on loopback.
      SSRF_ALLOWLIST: '127.0.0.1/32',
    },
    timeout: 180_000,
    reuseExistingServer: false,
    // SIGTERM lets the launcher stop the web, worker and embedded PostgreSQL instead of orphaning them.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30_000 },
  },
});
