/**
 * `tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a process spent its CPU, from a
 * profile written by `npm run bench -- --profile`. Prints self time by package (or our own source
 * folder) and the hottest functions.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: Node[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: tsx bench/profile-summary.ts <file.cpuprofile> [top]');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

// Self time per node from the sample stream (timeDeltas are µs between samples).
const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) {
  const id = profile.samples[i] ?? 0;
  selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
}
const totalUs = profile.endTime - profile.startTime;

// Bundled code (server/dist chunks): map each frame back to its source file with the bundle's source map.
const maps = new Map<string, SourceMap | null>();
function originalUrl(url: string, line: number, column: number): string {
  if (!url.startsWith('file://') || !url.endsWith('.js')) return url;
  let map = maps.get(url);
  if (map === undefined) {
    const file = `${fileURLToPath(url)}.map`;
    map = existsSync(file) ? new SourceMap(JSON.parse(readFileSync(file, 'utf8'))) : null;
    maps.set(url, map);
  }
  if (!map) return url;
  const entry = map.findEntry(line, column) as { originalSource?: string };
  return entry.originalSource ?? url;
}

function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  // drizzle-orm ships source maps that point at its own src/*.ts, which esbuild then places there.
  if (pkg) return pkg[1] === 'src' ? 'drizzle-orm (node_modules/src/*.ts in the map)' : (pkg[1] ?? url);
  const ours = /\/(server|shared)\/src\/([^/]+)/.exec(url);
  if (ours) return `${ours[1]}/src/${ours[2]}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

const byArea = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us) continue;
  const { functionName, lineNumber, columnNumber } = node.callFrame;
  const url = originalUrl(node.callFrame.url, lineNumber, columnNumber);
  const a = area(url, functionName);
  byArea.set(a, (byArea.get(a) ?? 0) + us);
  const key = `${functionName || '(anonymous)'}  ${a}:${lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}

const busyUs = [...byArea.entries()].filter(([k]) => k !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
const pct = (us: number) => `${((us / busyUs) * 100).toFixed(1).padStart(5)} %`;
console.log(
  `${file}\nwall ${(totalUs / 1e6).toFixed(1)} s, busy ${(busyUs / 1e6).toFixed(1)} s (${((busyUs / totalUs) * 100).toFixed(0)} %)\n`,
);
console.log('self time by area (share of busy time):');
for (const [name, us] of [...byArea.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  if (name === '(idle)') continue;
  console.log(`  ${pct(us)}  ${name}`);
}
console.log('\nhottest functions (self time):');
for (const [name, us] of [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, top)) {
  if (name.startsWith('(idle)')) continue;
  console.log(`  ${pct(us)}  ${name}`);
}
