#!/usr/bin/env node
// The built CLI (npm run build -w @automateos/cli); in a checkout without a build, the source via tsx.
import { existsSync } from 'node:fs';

const built = new URL('../dist/automateos.js', import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('../src/main.ts', import.meta.url).href);
}
