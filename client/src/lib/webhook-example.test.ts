import { exampleDefinition } from '@automateos/shared';
import { describe, expect, it } from 'vitest';
import { curlExample, lastRequest, sampleRequest } from './webhook-example';

const url = 'https://automate.example.com/hooks/abc_DEF-123';

describe('sampleRequest', () => {
  it('builds the body the expressions read, with values that pass the filters', () => {
    // DESIGN.md's example reads trigger.body.user.id and .amount, and keeps only plan "pro".
    expect(sampleRequest(exampleDefinition())).toEqual({
      body: { user: { id: 'example', plan: 'pro' }, amount: 'example' },
      query: {},
      headers: {},
    });
  });

  it('reads query and header fields, list indexes and comparisons', () => {
    const definition = {
      steps: [
        {
          type: 'http',
          config: {
            url: 'https://x.test/{{ trigger.query.page }}',
            headers: { 'X-Id': '{{ trigger.headers["x-request-id"] }}' },
            body: {
              type: 'json',
              value: { first: '{{ trigger.body.items[1].sku }}', all: '{{ trigger.body }}' },
            },
          },
        },
        {
          type: 'filter',
          config: {
            conditions: [
              { left: '{{ trigger.body.total }}', op: 'gt', right: '100' },
              { left: '{{ trigger.body.vip }}', op: 'isTrue' },
              { left: '{{ trigger.body.__proto__ }}', op: 'equals', right: 'data' },
            ],
          },
        },
      ],
    };
    const sample = sampleRequest(definition);
    expect(sample.body).toEqual({
      items: ['example', { sku: 'example' }],
      total: 101,
      vip: true,
      ['__proto__']: 'data',
    });
    expect(Object.getPrototypeOf(sample.body)).toBe(Object.prototype);
    expect(sample.query).toEqual({ page: 'example' });
    expect(sample.headers).toEqual({ 'x-request-id': 'example' });
  });

  it('has no body when nothing reads one', () => {
    expect(sampleRequest({ steps: [] }).body).toBeUndefined();
  });
});

describe('lastRequest', () => {
  it('takes the last body and query as they came, and only the headers the workflow reads', () => {
    const expected = sampleRequest({
      steps: [{ type: 'http', config: { url: '{{ trigger.headers.token }}' } }],
    });
    const last = lastRequest(
      { body: { user: 'u_9' }, query: { page: ['1', '2'] }, headers: { token: 't', host: 'x' } },
      expected,
    );
    expect(last).toEqual({ body: { user: 'u_9' }, query: { page: '["1","2"]' }, headers: { token: 't' } });
  });
});

describe('curlExample', () => {
  const sample = { body: { user: { id: 'u_1' } }, query: {}, headers: {} };

  it('sends the sample as JSON with the trigger method', () => {
    expect(curlExample(url, 'POST', sample)).toBe(
      `curl -X POST '${url}' -H 'content-type: application/json' -d '{"user":{"id":"u_1"}}'`,
    );
    expect(curlExample(url, 'PUT', sample)).toMatch(/^curl -X PUT /);
    expect(curlExample(url, 'ANY', sample)).toMatch(/^curl -X POST /);
    expect(curlExample(url, 'POST', { body: undefined, query: {}, headers: {} })).toMatch(/-d '\{\}'$/);
  });

  it('puts the query in the URL and the headers the workflow reads; GET sends no body', () => {
    expect(
      curlExample(url, 'GET', { body: undefined, query: { page: '2', q: 'a b' }, headers: { 'x-id': '7' } }),
    ).toBe(`curl '${url}?page=2&q=a+b' -H 'x-id: 7'`);
  });

  it('quotes for the shell', () => {
    expect(curlExample("http://x.test/it's", 'POST', { body: "it's", query: {}, headers: {} })).toBe(
      `curl -X POST 'http://x.test/it'\\''s' -H 'content-type: application/json' -d '"it'\\''s"'`,
    );
  });
});
