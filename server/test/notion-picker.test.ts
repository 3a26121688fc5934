/**
 * The Notion step's form through the API: `notion.dataSources` lists the databases a credential of
 * the caller's can see, `notion.dataSource` gives one's properties (a database id resolved to its
 * data source), against the Notion stand-in. Another user's credential is covered by tenancy.test.ts.
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestSession, testDeps } from './caller';
import { createTestDatabase, type TestDatabase } from './db';
import {
  type FakeNotion,
  NOTION_TOKEN,
  startFakeNotion,
  TASKS_DATA_SOURCE_ID,
  TASKS_DATABASE_ID,
} from './fakes/notion';

let tdb: TestDatabase;
let notion: FakeNotion;
let deps: ReturnType<typeof testDeps>;
const ada = new TestSession();
let good = '';
let wrong = '';

beforeAll(async () => {
  tdb = await createTestDatabase();
  notion = await startFakeNotion();
  deps = testDeps(tdb.db, { SSRF_ALLOWLIST: '127.0.0.1/32', NOTION_API_URL: notion.url });
  await ada
    .caller(deps)
    .auth.register({ email: 'ada@example.com', password: 'ada-password-123', name: 'Ada' });
  const api = ada.caller(deps);
  good = (await api.credentials.create({ name: 'Notion', type: 'notion', data: { token: NOTION_TOKEN } })).id;
  wrong = (await api.credentials.create({ name: 'Old', type: 'notion', data: { token: 'ntn_revoked_0000' } }))
    .id;
});
afterAll(async () => {
  await notion?.close();
  await tdb?.close();
});

describe('the Notion database picker', () => {
  it('lists the databases the integration can see, and searches them', async () => {
    const api = ada.caller(deps);
    expect(await api.notion.dataSources({ credentialId: good })).toEqual({
      items: [
        {
          id: TASKS_DATA_SOURCE_ID,
          title: 'Tasks',
          url: `${notion.url}/p/${TASKS_DATA_SOURCE_ID.replace(/-/g, '')}`,
        },
      ],
      nextCursor: null,
    });
    expect((await api.notion.dataSources({ credentialId: good, query: 'nothing like it' })).items).toEqual(
      [],
    );
    expect(notion.requests[0]?.body).toEqual({
      filter: { property: 'object', value: 'data_source' },
      page_size: 50,
    });
    expect(notion.problems).toEqual([]);
  });

  it('gives a database’s properties, resolving a database id to its data source', async () => {
    const schema = await ada.caller(deps).notion.dataSource({ credentialId: good, id: TASKS_DATABASE_ID });
    expect(schema.id).toBe(TASKS_DATA_SOURCE_ID);
    expect(schema.properties.slice(0, 4)).toEqual([
      { name: 'Name', type: 'title', options: [] },
      { name: 'Notes', type: 'rich_text', options: [] },
      { name: 'Points', type: 'number', options: [] },
      { name: 'Priority', type: 'select', options: ['High', 'Low'] },
    ]);
  });

  it('says what Notion said when the token is refused, and NOT_FOUND for an id that is no credential', async () => {
    const refused = await ada
      .caller(deps)
      .notion.dataSources({ credentialId: wrong })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TRPCError);
    expect(refused).toMatchObject({ code: 'BAD_REQUEST' });
    expect((refused as TRPCError).message).toMatch(/401 unauthorized: API token is invalid/);
    expect(JSON.stringify(refused)).not.toContain('ntn_revoked_0000');

    const missing = await ada
      .caller(deps)
      .notion.dataSources({ credentialId: '00000000-0000-4000-8000-000000000000' })
      .catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'NOT_FOUND' });
  });
});
