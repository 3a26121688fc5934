/** The Create Notion page step against a local stand-in for Notion that checks every request's shape. */
import { type CredentialValue, notionConfigSchema } from '@automateos/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeNotion,
  NOTION_TOKEN,
  PARENT_PAGE_ID,
  SPLIT_DATABASE_ID,
  startFakeNotion,
  TASKS_DATA_SOURCE_ID,
  TASKS_DATABASE_ID,
} from '../../test/fakes/notion';
import { publicApis, stepFailureOf } from '../../test/fixtures';
import { createOutboundHttp } from '../net/http-client';
import { createAddressPolicy } from '../net/ssrf';
import { notionNode } from './notion';
import { resolveStep } from './registry';

const quiet = { info: () => {}, warn: () => {} };
const http = createOutboundHttp({ policy: createAddressPolicy('127.0.0.1/32') });
let notion: FakeNotion;

beforeAll(async () => {
  notion = await startFakeNotion();
});
afterAll(async () => {
  await http.close();
  await notion.close();
});
beforeEach(() => notion.reset());

const credential = (token = NOTION_TOKEN): CredentialValue<'notion'> => ({
  id: 'c1',
  name: 'Team Notion',
  type: 'notion',
  data: { token },
});
const ctx = (cred = credential(), outbound = http) => ({
  signal: new AbortController().signal,
  http: outbound,
  apis: { ...publicApis, NOTION_API_URL: notion.url },
  log: quiet,
  credential: cred,
});
const inDatabase = { type: 'dataSource', id: TASKS_DATA_SOURCE_ID };

function input(config: Record<string, unknown>, body: Record<string, unknown> = {}) {
  const saved = notionConfigSchema.parse({ credentialId: 'c1', parent: inDatabase, ...config });
  return resolveStep({ type: 'notion', config: saved }, { trigger: { body }, steps: {} }).input;
}

describe('Create Notion page step', () => {
  it('creates a row in a data source with every property type typed from its schema', async () => {
    const outcome = await notionNode.run(
      input(
        {
          properties: {
            Name: 'Order {{ trigger.body.id }}',
            Notes: '{{ trigger.body.notes }}',
            Points: '{{ trigger.body.points }}',
            Priority: 'High',
            Tags: '{{ trigger.body.tags }}',
            State: 'Done',
            Due: '2025-03-01/2025-03-05',
            Urgent: '{{ trigger.body.urgent }}',
            Link: 'https://example.com/orders/{{ trigger.body.id }}',
            Contact: 'ada@example.com',
            Phone: '+44 20 7946 0000',
          },
          content: 'First paragraph.\n\nSecond paragraph.',
        },
        { id: 42, notes: 'x'.repeat(4500), points: 3.5, tags: ['bug', 'ui'], urgent: true },
      ),
      ctx(),
    );
    expect(notion.problems).toEqual([]);
    const [page] = notion.pages;
    expect(outcome).toEqual({
      kind: 'continue',
      attempts: 1,
      output: {
        id: page?.id,
        url: `${notion.url}/p/${page?.id.replace(/-/g, '')}`,
        createdTime: '2025-03-01T09:30:00.000Z',
        parent: { type: 'dataSource', id: TASKS_DATA_SOURCE_ID },
      },
    });
    expect(page?.parent).toEqual({ type: 'data_source_id', data_source_id: TASKS_DATA_SOURCE_ID });
    expect(page?.properties).toMatchObject({
      Name: { title: [{ type: 'text', text: { content: 'Order 42' } }] },
      Points: { number: 3.5 },
      Priority: { select: { name: 'High' } },
      Tags: { multi_select: [{ name: 'bug' }, { name: 'ui' }] },
      State: { status: { name: 'Done' } },
      Due: { date: { start: '2025-03-01', end: '2025-03-05' } },
      Urgent: { checkbox: true },
      Link: { url: 'https://example.com/orders/42' },
      Contact: { email: 'ada@example.com' },
      Phone: { phone_number: '+44 20 7946 0000' },
    });
    // 4,500 characters: three rich-text items of at most 2,000.
    const notes =
      (page?.properties.Notes as { rich_text: { text: { content: string } }[] } | undefined)?.rich_text ?? [];
    expect(notes.map((item) => item.text.content.length)).toEqual([2000, 2000, 500]);
    expect(page?.blocks.map((block) => block.paragraph.rich_text[0]?.text.content)).toEqual([
      'First paragraph.',
      'Second paragraph.',
    ]);
    // The schema was read, then the page created: two calls, no more.
    expect(notion.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /v1/data_sources/${TASKS_DATA_SOURCE_ID}`,
      'POST /v1/pages',
    ]);
  });

  it('resolves a database id (or link) to its data source, and refuses to guess between several', async () => {
    const link = `https://www.notion.so/acme/Tasks-${TASKS_DATABASE_ID.replace(/-/g, '')}?v=abc`;
    await notionNode.run(
      input({ parent: { type: 'dataSource', id: link }, properties: { Name: 'x' } }),
      ctx(),
    );
    expect(notion.pages[0]?.parent).toEqual({ type: 'data_source_id', data_source_id: TASKS_DATA_SOURCE_ID });

    const split = await stepFailureOf(
      notionNode.run(
        input({ parent: { type: 'dataSource', id: SPLIT_DATABASE_ID }, properties: { Name: 'x' } }),
        ctx(),
      ),
    );
    expect(split.code).toBe('MULTIPLE_DATA_SOURCES');
    expect(split.message).toMatch(/has 2 data sources .*pick one/);
    expect(notion.problems).toEqual([]);
  });

  it('creates a page under a page, and appends content past 100 blocks in batches', async () => {
    const content = Array.from({ length: 230 }, (_, i) => `Paragraph ${i + 1}`).join('\n\n');
    const outcome = await notionNode.run(
      input({
        parent: { type: 'page', id: PARENT_PAGE_ID },
        properties: { title: 'Meeting notes' },
        content,
      }),
      ctx(),
    );
    expect(outcome).toMatchObject({ output: { parent: { type: 'page', id: PARENT_PAGE_ID } } });
    expect(notion.problems).toEqual([]);
    expect(notion.pages[0]?.blocks).toHaveLength(230);
    expect(notion.pages[0]?.blocks.at(-1)?.paragraph.rich_text[0]?.text.content).toBe('Paragraph 230');
    expect(notion.requests.map((r) => r.method)).toEqual(['POST', 'PATCH', 'PATCH']);
  });

  it('shows Notion’s error code and message as is: 401 and 404', async () => {
    const unauthorized = await stepFailureOf(
      notionNode.run(input({ properties: { Name: 'x' } }), ctx(credential('ntn_wrong'))),
    );
    expect(unauthorized.code).toBe('unauthorized');
    expect(unauthorized.message).toBe(
      'Notion answered 401 unauthorized: API token is invalid. Check the integration token in the Notion credential.',
    );
    const missing = await stepFailureOf(
      notionNode.run(
        input({
          parent: { type: 'page', id: '5a2d0e6f7b8c4d9e0f1a2b3c4d5e6f7a' },
          properties: { title: 'x' },
        }),
        ctx(),
      ),
    );
    expect(missing.code).toBe('object_not_found');
    expect(missing.message).toMatch(
      /^Notion answered 404 object_not_found: Could not find the parent\..*share the page/,
    );
    expect(missing.output).toMatchObject({ status: 404, code: 'object_not_found' });
  });

  it('retries 429 after its Retry-After and 500 per the policy; the SDK itself never retries', async () => {
    const started = Date.now();
    const outcome = await notionNode.run(
      input({ properties: { Name: 'please 429' }, retry: { attempts: 1, backoff: 'fixed', delayMs: 10 } }),
      ctx(),
    );
    expect(outcome).toMatchObject({ attempts: 2 });
    console.info(`Notion 429 with Retry-After: 1 → page created after ${Date.now() - started} ms`);
    expect(notion.requests.filter((r) => r.path === '/v1/pages')).toHaveLength(2);

    notion.reset();
    const noRetry = await stepFailureOf(notionNode.run(input({ properties: { Name: 'please 500' } }), ctx()));
    expect(noRetry).toMatchObject({ code: 'internal_server_error', attempts: 1 });
    expect(notion.requests.filter((r) => r.path === '/v1/pages')).toHaveLength(1);

    notion.reset();
    const retried = await stepFailureOf(
      notionNode.run(
        input({ properties: { Name: 'please 500' }, retry: { attempts: 2, backoff: 'fixed', delayMs: 10 } }),
        ctx(),
      ),
    );
    expect(retried).toMatchObject({ code: 'internal_server_error', attempts: 3 });
    expect(notion.requests.filter((r) => r.path === '/v1/pages')).toHaveLength(3);
  });

  it('fails clearly on values that do not fit the property, unknown and unsupported properties, and limits', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ Points: 'lots' }, 'INVALID_PROPERTY', /Property "Points" \(number\) got "lots": write a number/],
      [{ Due: 'next tuesday' }, 'INVALID_PROPERTY', /ISO 8601/],
      [{ Urgent: 'maybe' }, 'INVALID_PROPERTY', /write true or false/],
      [{ Priority: 'a,b' }, 'INVALID_PROPERTY', /cannot contain a comma/],
      [{ Colour: 'red' }, 'UNKNOWN_PROPERTY', /no property "Colour" \(it has Name, Notes/],
      [{ Owner: 'ada' }, 'UNSUPPORTED_PROPERTY', /"Owner" is a people property/],
      [
        { Notes: '{{ trigger.body.long }}' },
        'NOTION_LIMIT',
        /Notion takes at most 200000 \(100 pieces of 2000\)/,
      ],
      [{ Tags: '{{ trigger.body.many }}' }, 'INVALID_PROPERTY', /at most 100 options/],
    ];
    for (const [properties, code, message] of cases) {
      const body = { long: 'y'.repeat(200_001), many: Array.from({ length: 101 }, (_, i) => `t${i}`) };
      const failed = await stepFailureOf(
        Promise.resolve().then(() => notionNode.run(input({ properties }, body), ctx())),
      );
      expect([failed.code, failed.message]).toEqual([code, expect.stringMatching(message)]);
    }
    expect(notion.pages).toEqual([]);
    expect(notion.problems).toEqual([]);
    expect(
      notionConfigSchema.safeParse({
        credentialId: 'c1',
        parent: inDatabase,
        properties: { Name: 'x'.repeat(200_001) },
      }).success,
    ).toBe(false);
    expect(
      notionConfigSchema.safeParse({ credentialId: 'c1', parent: { type: 'page', id: 'not-an-id' } }).error
        ?.issues[0]?.message,
    ).toBe('"not-an-id" is not a Notion page id or link (32 hexadecimal digits)');
  });

  it('goes through the SSRF guard: NOTION_API_URL on an internal address is blocked before any request', async () => {
    const strict = createOutboundHttp({ policy: createAddressPolicy('') });
    try {
      const blocked = await stepFailureOf(
        notionNode.run(input({ properties: { Name: 'x' } }), ctx(credential(), strict)),
      );
      expect(blocked.code).toBe('BLOCKED_ADDRESS');
      expect(notion.requests).toEqual([]);
    } finally {
      await strict.close();
    }
  });
});
