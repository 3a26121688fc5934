import {
  isRecord,
  NOTION_LIMITS,
  type NotionInput,
  notionPropertyTypes,
  notionStepType,
} from '@automateos/shared';
import { type BlockObjectRequest, type CreatePageParameters, isFullPage } from '@notionhq/client';
import { notionClient, notionFailure, retrieveDataSource } from '../notion/api';
import { withRetries } from './retry';
import { defineNode, StepFailure } from './types';

type PropertyValue = NonNullable<CreatePageParameters['properties']>[string];
type RichText = Extract<PropertyValue, { rich_text: unknown }>['rich_text'][number];
type ResolvedValue = NotionInput['properties'][string];

const { richTextItem: ITEM_CHARS, array: MAX_ITEMS } = NOTION_LIMITS;

/** Text as rich-text items of at most 2,000 characters each (split by code point, never inside an emoji). */
function richText(text: string, what: string): RichText[] {
  const points = Array.from(text);
  const items: RichText[] = [];
  for (let start = 0; start < points.length; start += ITEM_CHARS) {
    items.push({ type: 'text', text: { content: points.slice(start, start + ITEM_CHARS).join('') } });
  }
  if (items.length > MAX_ITEMS) {
    throw new StepFailure(
      `${what} is ${points.length} characters: Notion takes at most ${ITEM_CHARS * MAX_ITEMS} (${MAX_ITEMS} pieces of ${ITEM_CHARS}). Shorten it.`,
      'NOTION_LIMIT',
    );
  }
  return items;
}

const asText = (value: ResolvedValue): string =>
  value === null ? '' : Array.isArray(value) ? value.join(', ') : String(value);

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TRUE = new Set(['true', 'yes', '1', 'on', 'checked']);
const FALSE = new Set(['false', 'no', '0', 'off', '', 'unchecked']);

/** One property's value as Notion takes it for its type; a clear failure when it cannot be one. */
function propertyValue(name: string, type: string, value: ResolvedValue): PropertyValue | undefined {
  const text = asText(value).trim();
  const bad = (what: string) =>
    new StepFailure(
      `Property "${name}" (${type.replace('_', ' ')}) got ${JSON.stringify(value)}: ${what}.`,
      'INVALID_PROPERTY',
    );
  switch (type) {
    case 'title':
      return { title: richText(asText(value), `Property "${name}"`) };
    case 'rich_text':
      return { rich_text: richText(asText(value), `Property "${name}"`) };
    case 'number': {
      if (text === '') return { number: null };
      const number = typeof value === 'number' ? value : Number(text);
      if (!Number.isFinite(number)) throw bad('write a number such as 42 or 3.5');
      return { number };
    }
    case 'select':
      if (text === '') return { select: null };
      if (text.includes(',')) throw bad('a select option name cannot contain a comma');
      return { select: { name: text.slice(0, 100) } };
    case 'status':
      // A status cannot be emptied: left blank, the page gets the database's default.
      return text === '' ? undefined : { status: { name: text.slice(0, 100) } };
    case 'multi_select': {
      const names = (Array.isArray(value) ? value.map(String) : asText(value).split(','))
        .map((option) => option.trim())
        .filter((option) => option !== '');
      if (names.length > MAX_ITEMS) throw bad(`Notion takes at most ${MAX_ITEMS} options`);
      return { multi_select: names.map((option) => ({ name: option.slice(0, 100) })) };
    }
    case 'date': {
      if (text === '') return { date: null };
      const [start = '', end, ...rest] = text.split('/').map((part) => part.trim());
      if (rest.length > 0 || !ISO_DATE.test(start) || (end !== undefined && !ISO_DATE.test(end)))
        throw bad('write an ISO 8601 date (2025-03-01 or 2025-03-01T09:30:00Z), or start/end for a range');
      return { date: { start, ...(end !== undefined ? { end } : {}) } };
    }
    case 'checkbox': {
      if (typeof value === 'boolean') return { checkbox: value };
      const word = text.toLowerCase();
      if (TRUE.has(word)) return { checkbox: true };
      if (FALSE.has(word)) return { checkbox: false };
      throw bad('write true or false');
    }
    case 'url':
      return { url: text === '' ? null : text.slice(0, 2000) };
    case 'email':
      if (text !== '' && !EMAIL.test(text)) throw bad('write an email address');
      return { email: text === '' ? null : text };
    case 'phone_number':
      return { phone_number: text === '' ? null : text };
    default:
      throw new StepFailure(
        `Property "${name}" is a ${type.replace('_', ' ')} property, which this step does not set; it sets ${notionPropertyTypes.join(', ')}. Remove it from the step.`,
        'UNSUPPORTED_PROPERTY',
      );
  }
}

/** The page's properties, each typed by the schema (`name → type`). */
export function pageProperties(
  values: NotionInput['properties'],
  schema: Record<string, string>,
): NonNullable<CreatePageParameters['properties']> {
  const properties: NonNullable<CreatePageParameters['properties']> = {};
  for (const [name, value] of Object.entries(values)) {
    const type = schema[name];
    if (type === undefined) {
      throw new StepFailure(
        `The database has no property "${name}" (it has ${Object.keys(schema).join(', ')}): it may have been renamed; pick the database again in the step.`,
        'UNKNOWN_PROPERTY',
      );
    }
    const converted = propertyValue(name, type, value);
    if (converted !== undefined) properties[name] = converted;
  }
  return properties;
}

/** The page body: one paragraph block per blank-line-separated part, each split into 2,000-character items. */
export function contentBlocks(content: string | undefined): BlockObjectRequest[] {
  if (!content?.trim()) return [];
  return content
    .split(/\r?\n\s*\r?\n/)
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part, index) => ({
      object: 'block',
      type: 'paragraph',
      paragraph: { rich_text: richText(part, `Paragraph ${index + 1} of the content`) },
    }));
}

const chunks = <T>(items: T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** A page link from its id, for the rare answer without `url`. */
const pageUrl = (id: string) => `https://www.notion.so/${id.replace(/-/g, '')}`;

export const notionNode = defineNode(notionStepType, {
  /** The log names the credential, never the token. */
  loggedInput(input, credential) {
    if (!isRecord(input) || !credential) return input;
    return { ...input, credential: credential.name };
  },

  async run(input, ctx) {
    const client = notionClient(ctx.credential.data.token, {
      http: ctx.http,
      baseUrl: ctx.apis.NOTION_API_URL,
      signal: ctx.signal,
    });
    const call = <T>(request: () => Promise<T>) =>
      withRetries(input.retry, ctx.signal, async () => {
        try {
          return await request();
        } catch (error) {
          ctx.signal.throwIfAborted();
          throw notionFailure(error);
        }
      });

    const { parent } = input;
    let target: CreatePageParameters['parent'];
    let schema: Record<string, string>;
    if (parent.type === 'dataSource') {
      // The schema says how to send each value; a database id is resolved to its data source here.
      const { result: source } = await call(() => retrieveDataSource(client, parent.id));
      schema = Object.fromEntries(Object.entries(source.properties).map(([name, p]) => [name, p.type]));
      target = { type: 'data_source_id', data_source_id: source.id };
    } else {
      // Under a page, a page has one property: its title.
      schema = { title: 'title' };
      target = { type: 'page_id', page_id: parent.id };
    }

    const properties = pageProperties(input.properties, schema);
    const [first = [], ...more] = chunks(contentBlocks(input.content), MAX_ITEMS);
    const request = {
      parent: target,
      properties,
      ...(first.length > 0 ? { children: first } : {}),
    } satisfies CreatePageParameters;
    const { result: page, attempts } = await call(() => client.pages.create(request));
    // Past Notion's 100 blocks per request, the rest is appended in order, each batch retried on its own.
    for (const children of more)
      await call(() => client.blocks.children.append({ block_id: page.id, children }));

    const full = isFullPage(page) ? page : undefined;
    return {
      kind: 'continue',
      attempts,
      output: {
        id: page.id,
        url: full?.url ?? pageUrl(page.id),
        createdTime: full?.created_time ?? new Date().toISOString(),
        parent: { type: parent.type, id: 'data_source_id' in target ? target.data_source_id : parent.id },
      },
    };
  },
});
