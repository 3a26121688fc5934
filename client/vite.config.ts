import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// Keep the browser's Host header (Vite's string shorthand would rewrite it): the API refuses mutations
// whose Origin is not its own host, and through the proxy that origin is Vite's.
const api = { target: `http://127.0.0.1:${process.env.API_PORT ?? 3000}`, changeOrigin: false };

export default defineConfig({
  // The launcher runs Vite from the repository root, so paths are anchored to this file.
  root: import.meta.dirname,
  plugins: [react()],
  server: {
    port: 5173,
    proxy: Object.fromEntries(['/trpc', '/hooks', '/healthz', '/readyz'].map((route) => [route, api])),
  },
  build: {
    outDir: path.join(import.meta.dirname, 'dist'),
    emptyOutDir: true,
  },
  // e2e/ belongs to Playwright.
  test: { include: ['src/**/*.test.{ts,tsx}'] },
});
