/**
 * The HTTP Request step's destination during the benchmark: answers every request with a small JSON
 * body at once and counts what it received. Runs in its own process so it never competes with the
 * load generator's event loop. Each webhook body carries a unique `user.id`; the workflow forwards it
 * as `user`, so the target can tell lost deliveries from duplicated ones.
 *
 *   GET  /__stats  → { hits, unique, duplicates, connections }
 *   POST /__reset  → clears the counters
 *   anything else  → 200 {"ok":true}, counted; `?ms=N` answers after N ms (a slow step)
 */
import http from 'node:http';

let hits = 0;
let seen = new Set<string>();
let duplicates = 0;
/** TCP connections accepted: how many requests shared one shows whether the caller keeps them alive. */
let connections = 0;

const ok = Buffer.from('{"ok":true,"id":"evt_1"}');

const server = http.createServer((req, res) => {
  if (req.url === '/__stats') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ hits, unique: seen.size, duplicates, connections }));
    return;
  }
  if (req.url === '/__reset') {
    hits = 0;
    duplicates = 0;
    connections = 0;
    seen = new Set();
    res.writeHead(204).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    hits++;
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { user?: unknown };
      if (typeof body.user === 'string' && body.user !== '') {
        if (seen.has(body.user)) duplicates++;
        else seen.add(body.user);
      }
    } catch {}
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': ok.length });
      res.end(ok);
    };
    const delayMs = Number(/[?&]ms=(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.on('connection', () => connections++);
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address && typeof address === 'object') process.send?.({ port: address.port });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
process.on('disconnect', () => process.exit(0));
