/**
 * Production build of the server: one ESM bundle per entry point in dist/, run by plain `node`
 * (no TypeScript at run time). Our own packages (@automateos/shared) are bundled in; everything
 * from npm stays an import resolved from node_modules.
 */
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
const external = Object.keys(manifest.dependencies).filter((name) => !name.startsWith('@automateos/'));

await build({
  entryPoints: { main: 'src/main.ts', worker: 'src/worker.ts', migrate: 'src/db/migrate-cli.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  sourcemap: true,
  external: [...external, ...external.map((name) => `${name}/*`)],
  logLevel: 'info',
});
