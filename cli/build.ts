/**
 * The CLI as one ESM file, dist/automateos.js, run by plain `node` (bin/automateos.js loads it).
 * Our own @automateos/shared (TypeScript source) is bundled in; packages from npm stay imports.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};

await build({
  entryPoints: { automateos: 'src/main.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node24',
  external: Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@automateos/')),
  sourcemap: true,
  logLevel: 'warning',
});
