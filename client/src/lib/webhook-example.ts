import type { WebhookMethod } from '@automateos/shared';

/** The sample payload of DESIGN.md's example workflow: a pro user and an amount. */
export const SAMPLE_PAYLOAD = '{"user":{"id":"u_1","plan":"pro"},"amount":42}';

/** Single-quoted for POSIX shells: only a quote itself needs care. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * A ready-to-paste request to the webhook. GET requests carry the sample as a query string
 * (servers ignore a GET body); ANY accepts everything, so it shows the usual POST.
 */
export function curlExample(url: string, method: WebhookMethod): string {
  if (method === 'GET') return `curl ${shellQuote(`${url}?user=u_1&plan=pro&amount=42`)}`;
  const verb = method === 'ANY' ? 'POST' : method;
  return `curl -X ${verb} ${shellQuote(url)} -H 'content-type: application/json' -d ${shellQuote(SAMPLE_PAYLOAD)}`;
}
