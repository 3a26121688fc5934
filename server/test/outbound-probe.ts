/**
 * A child process for http-client.test.ts: sends each request of argv[2] (JSON: url and allow-list)
 * through the outbound layer, under whatever proxy environment the parent set, then one request
 * through Node's own fetch as a control, and prints the results as one JSON line.
 */
import { createOutboundHttp, HttpStepError } from '../src/net/http-client';
import { createAddressPolicy } from '../src/net/ssrf';

const requests = JSON.parse(process.argv[2] ?? '[]') as { url: string; allow: string }[];
const controlUrl = process.argv[3];
const results: unknown[] = [];
for (const { url, allow } of requests) {
  const layer = createOutboundHttp({ policy: createAddressPolicy(allow) });
  try {
    const res = await layer.request({ method: 'GET', url, timeoutMs: 5_000 });
    results.push({ url, status: res.status, body: res.body });
  } catch (error) {
    results.push({ url, code: error instanceof HttpStepError ? error.code : String(error) });
  } finally {
    await layer.close();
  }
}
const control = controlUrl
  ? await fetch(controlUrl).then(
      async (res) => ({ status: res.status, body: await res.text() }),
      (error: unknown) => ({ error: String(error) }),
    )
  : null;
console.log(JSON.stringify({ results, control }));
