/**
 * A stand-in for Notion's API (version 2025-09-03) on loopback: the endpoints the Notion step and
 * its form use, each request checked against the shapes of Notion's reference
 * (developers.notion.com/reference: post-page, retrieve-a-data-source, retrieve-a-database,
 * post-search, patch-block-children, request-limits, property-value-object). A request that does not
 * fit gets Notion's `400 validation_error` and is kept in `problems`. It also serves `/p/<id>`, the
 * page links it hands out, so a browser can follow one.
 *
 * Scripted answers: a token other than NOTION_TOKEN → 401 unauthorized; an unknown id → 404
 * object_not_found; a page titled "please 429" → 429 with Retry-After: 1 the first time; "please 500"
 * → 500 internal_server_error every time.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/** Notion takes any 32 hex digits as an id (not only RFC 4122 UUIDs). */
const notionId = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

export const NOTION_TOKEN = 'ntn_fake_integration_token_0123456789';
export const TASKS_DATABASE_ID = '1c8f6a2b-3d4e-4f5a-8b9c-0d1e2f3a4b5c';
export const TASKS_DATA_SOURCE_ID = '2d9a7b3c-4e5f-4a6b-9c0d-1e2f3a4b5c6d';
/** A database with two data sources: a `database_id` parent would fail on it. */
export const SPLIT_DATABASE_ID = '3e0b8c4d-5f6a-4b7c-8d1e-2f3a4b5c6d7e';
export const PARENT_PAGE_ID = '4f1c9d5e-6a7b-4c8d-9e2f-3a4b5c6d7e8f';

const richTextItem = z.strictObject({
  type: z.literal('text').optional(),
  text: z.strictObject({
    content: z.string().max(2000),
    link: z.object({ url: z.string() }).nullable().optional(),
  }),
});
const richTextArray = z.array(richTextItem).max(100);
const option = z.strictObject({
  name: z
    .string()
    .min(1)
    .max(100)
    .refine((name) => !name.includes(','), 'no commas'),
});
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/);

/** Property values by type (developers.notion.com/reference/page-property-values). */
const valueSchemas: Record<string, z.ZodType> = {
  title: z.strictObject({ title: richTextArray }),
  rich_text: z.strictObject({ rich_text: richTextArray }),
  number: z.strictObject({ number: z.number().nullable() }),
  select: z.strictObject({ select: option.nullable() }),
  multi_select: z.strictObject({ multi_select: z.array(option).max(100) }),
  status: z.strictObject({ status: option }),
  date: z.strictObject({ date: z.strictObject({ start: isoDate, end: isoDate.optional() }).nullable() }),
  checkbox: z.strictObject({ checkbox: z.boolean() }),
  url: z.strictObject({ url: z.string().max(2000).nullable() }),
  email: z.strictObject({ email: z.email().nullable() }),
  phone_number: z.strictObject({ phone_number: z.string().nullable() }),
};
const paragraph = z.strictObject({
  object: z.literal('block').optional(),
  type: z.literal('paragraph'),
  paragraph: z.strictObject({ rich_text: richTextArray }),
});
const createPageSchema = z.strictObject({
  parent: z.union([
    z.strictObject({ type: z.literal('data_source_id').optional(), data_source_id: notionId }),
    z.strictObject({ type: z.literal('page_id').optional(), page_id: notionId }),
  ]),
  properties: z.record(z.string(), z.unknown()),
  children: z.array(paragraph).max(100).optional(),
});
const appendSchema = z.strictObject({ children: z.array(paragraph).min(1).max(100) });
const searchSchema = z.strictObject({
  query: z.string().optional(),
  filter: z
    .strictObject({ property: z.literal('object'), value: z.enum(['page', 'data_source']) })
    .optional(),
  start_cursor: z.string().optional(),
  page_size: z.number().int().min(1).max(100).optional(),
});

const TASKS_SCHEMA: Record<string, { type: string; options?: string[] }> = {
  Name: { type: 'title' },
  Notes: { type: 'rich_text' },
  Points: { type: 'number' },
  Priority: { type: 'select', options: ['High', 'Low'] },
  Tags: { type: 'multi_select', options: ['bug', 'ui'] },
  State: { type: 'status', options: ['Not started', 'Done'] },
  Due: { type: 'date' },
  Urgent: { type: 'checkbox' },
  Link: { type: 'url' },
  Contact: { type: 'email' },
  Phone: { type: 'phone_number' },
  Owner: { type: 'people' },
};

const text = (content: string) => [
  { type: 'text', text: { content, link: null }, plain_text: content, href: null, annotations: {} },
];

export interface CreatedPage {
  id: string;
  parent: unknown;
  properties: Record<string, unknown>;
  /** Every block, from the create call and any appends. */
  blocks: z.output<typeof paragraph>[];
}

export interface FakeNotion {
  url: string;
  pages: CreatedPage[];
  requests: { method: string; path: string; body: unknown }[];
  problems: string[];
  reset(): void;
  close(): Promise<void>;
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts it on `port` (0: any free one). */
export async function startFakeNotion(port = 0): Promise<FakeNotion> {
  const pages: CreatedPage[] = [];
  const requests: FakeNotion['requests'] = [];
  const problems: string[] = [];
  const throttled = new Set<string>();
  let origin = '';

  const dataSource = (id: string, title: string) => ({
    object: 'data_source',
    id,
    created_time: '2025-01-01T00:00:00.000Z',
    last_edited_time: '2025-01-01T00:00:00.000Z',
    title: text(title),
    description: [],
    parent: { type: 'database_id', database_id: TASKS_DATABASE_ID },
    database_parent: { type: 'page_id', page_id: PARENT_PAGE_ID },
    properties: Object.fromEntries(
      Object.entries(TASKS_SCHEMA).map(([name, { type, options }], index) => [
        name,
        {
          id: `p${index}`,
          name,
          type,
          [type]: options
            ? { options: options.map((option) => ({ id: option, name: option, color: 'default' })) }
            : {},
        },
      ]),
    ),
    url: `${origin}/p/${id.replace(/-/g, '')}`,
    archived: false,
    in_trash: false,
    is_inline: false,
    icon: null,
    cover: null,
    public_url: null,
    created_by: { object: 'user', id: 'u1' },
    last_edited_by: { object: 'user', id: 'u1' },
  });

  const server: Server = createServer(async (req, res) => {
    const raw = await read(req);
    const path = (req.url ?? '').split('?')[0] ?? '';
    const method = req.method ?? 'GET';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(JSON.stringify(body));
    };
    const error = (status: number, code: string, message: string, headers: Record<string, string> = {}) =>
      send(status, { object: 'error', status, code, message, request_id: randomUUID() }, headers);
    const invalid = (problem: string) => {
      problems.push(`${method} ${path}: ${problem}`);
      return error(400, 'validation_error', problem);
    };

    const link = /^\/p\/([0-9a-f]{32})$/.exec(path);
    if (method === 'GET' && link) {
      const page = pages.find((p) => p.id.replace(/-/g, '') === link[1]);
      res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
      const title = page ? JSON.stringify(page.properties.Name ?? page.properties.title ?? '') : '';
      return res.end(
        page
          ? `<!doctype html><title>Fake Notion page</title><h1>Fake Notion page ${page.id}</h1><pre>${title.replace(/</g, '&lt;')}</pre>`
          : 'not found',
      );
    }

    let body: unknown = {};
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        return invalid('body is not JSON');
      }
    }
    requests.push({ method, path, body });
    if (!path.startsWith('/v1/')) return error(404, 'invalid_request_url', 'Invalid request URL.');
    if (req.headers['notion-version'] !== '2025-09-03')
      return invalid(`Notion-Version must be 2025-09-03, got ${req.headers['notion-version']}`);
    if (raw !== '' && !/^application\/json/.test(req.headers['content-type'] ?? ''))
      return invalid('content-type must be application/json');
    if (req.headers.authorization !== `Bearer ${NOTION_TOKEN}`)
      return error(401, 'unauthorized', 'API token is invalid.');

    if (method === 'GET' && path === '/v1/users/me')
      return send(200, {
        object: 'user',
        id: 'u1',
        type: 'bot',
        name: 'Fake integration',
        bot: { workspace_name: 'Test' },
      });

    if (method === 'POST' && path === '/v1/search') {
      const checked = searchSchema.safeParse(body);
      if (!checked.success) return invalid(checked.error.message);
      const all = [dataSource(TASKS_DATA_SOURCE_ID, 'Tasks')];
      const { query } = checked.data;
      const results = all.filter(
        (s) => !query || s.title[0]?.plain_text.toLowerCase().includes(query.toLowerCase()),
      );
      return send(200, {
        object: 'list',
        results,
        next_cursor: null,
        has_more: false,
        type: 'page_or_data_source',
        page_or_data_source: {},
      });
    }

    const sourceId = /^\/v1\/data_sources\/([0-9a-f-]{32,36})$/.exec(path)?.[1];
    if (method === 'GET' && sourceId) {
      if (sourceId !== TASKS_DATA_SOURCE_ID)
        return error(
          404,
          'object_not_found',
          `Could not find data_source with ID: ${sourceId}. Make sure the relevant pages and databases are shared with your integration.`,
        );
      return send(200, dataSource(sourceId, 'Tasks'));
    }

    const databaseId = /^\/v1\/databases\/([0-9a-f-]{32,36})$/.exec(path)?.[1];
    if (method === 'GET' && databaseId) {
      const sources =
        databaseId === TASKS_DATABASE_ID
          ? [{ id: TASKS_DATA_SOURCE_ID, name: 'Tasks' }]
          : databaseId === SPLIT_DATABASE_ID
            ? [
                { id: TASKS_DATA_SOURCE_ID, name: 'Tasks' },
                { id: randomUUID(), name: 'Archive' },
              ]
            : undefined;
      if (!sources) return error(404, 'object_not_found', `Could not find database with ID: ${databaseId}.`);
      return send(200, { object: 'database', id: databaseId, title: text('Tasks'), data_sources: sources });
    }

    if (method === 'POST' && path === '/v1/pages') {
      const checked = createPageSchema.safeParse(body);
      if (!checked.success) return invalid(checked.error.message);
      const { parent, properties, children = [] } = checked.data;
      const schema =
        'data_source_id' in parent
          ? parent.data_source_id === TASKS_DATA_SOURCE_ID
            ? TASKS_SCHEMA
            : undefined
          : parent.page_id === PARENT_PAGE_ID
            ? { title: { type: 'title' } }
            : undefined;
      if (!schema)
        return error(
          404,
          'object_not_found',
          'Could not find the parent. Make sure it is shared with your integration.',
        );
      for (const [name, value] of Object.entries(properties)) {
        const type = schema[name]?.type;
        if (!type) return invalid(`${name} is not a property that exists.`);
        const shape = valueSchemas[type];
        const valueCheck = shape?.safeParse(value);
        if (!valueCheck?.success)
          return invalid(`${name} is expected to be ${type}: ${valueCheck?.error.message}`);
      }
      const titleProperty = properties.Name ?? properties.title;
      const title = JSON.stringify(titleProperty);
      if (title.includes('please 500'))
        return error(500, 'internal_server_error', 'Unexpected error occurred.');
      if (title.includes('please 429') && !throttled.has(title)) {
        throttled.add(title);
        return error(429, 'rate_limited', 'You have been rate limited. Please try again in a few minutes.', {
          'retry-after': '1',
        });
      }
      const id = randomUUID();
      pages.push({ id, parent, properties, blocks: [...children] });
      return send(200, {
        object: 'page',
        id,
        created_time: '2025-03-01T09:30:00.000Z',
        last_edited_time: '2025-03-01T09:30:00.000Z',
        parent:
          'data_source_id' in parent
            ? {
                type: 'data_source_id',
                data_source_id: parent.data_source_id,
                database_id: TASKS_DATABASE_ID,
              }
            : { type: 'page_id', page_id: parent.page_id },
        properties: {},
        url: `${origin}/p/${id.replace(/-/g, '')}`,
        public_url: null,
        archived: false,
        in_trash: false,
        icon: null,
        cover: null,
        created_by: { object: 'user', id: 'u1' },
        last_edited_by: { object: 'user', id: 'u1' },
      });
    }

    const blockId = /^\/v1\/blocks\/([0-9a-f-]{36})\/children$/.exec(path)?.[1];
    if (method === 'PATCH' && blockId) {
      const checked = appendSchema.safeParse(body);
      if (!checked.success) return invalid(checked.error.message);
      const page = pages.find((p) => p.id === blockId);
      if (!page) return error(404, 'object_not_found', `Could not find block with ID: ${blockId}.`);
      page.blocks.push(...checked.data.children);
      return send(200, { object: 'list', results: [], next_cursor: null, has_more: false });
    }
    return error(400, 'invalid_request_url', `Invalid request URL: ${method} ${path}`);
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    pages,
    requests,
    problems,
    reset() {
      pages.length = 0;
      requests.length = 0;
      problems.length = 0;
      throttled.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
