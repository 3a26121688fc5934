import { describe, expect, it } from 'vitest';
import { curlExample } from './webhook-example';

const url = 'https://automate.example.com/hooks/abc_DEF-123';

describe('curlExample', () => {
  it('sends the sample JSON with the trigger method', () => {
    expect(curlExample(url, 'POST')).toBe(
      `curl -X POST '${url}' -H 'content-type: application/json' -d '{"user":{"id":"u_1","plan":"pro"},"amount":42}'`,
    );
    expect(curlExample(url, 'PUT')).toMatch(/^curl -X PUT /);
    expect(curlExample(url, 'ANY')).toMatch(/^curl -X POST /);
  });

  it('uses a query string for GET', () => {
    expect(curlExample(url, 'GET')).toBe(`curl '${url}?user=u_1&plan=pro&amount=42'`);
  });

  it('quotes a URL with a quote in it for the shell', () => {
    expect(curlExample("http://x.test/it's", 'GET')).toBe(
      `curl 'http://x.test/it'\\''s?user=u_1&plan=pro&amount=42'`,
    );
  });
});
