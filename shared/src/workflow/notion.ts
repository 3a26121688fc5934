import { z } from 'zod';
import { credentialIdSchema, retrySchema } from './http';
import { defineStepSpec } from './node-spec';
import { strictObject } from './schema-builders';

/** Notion's limits on a request (developers.notion.com/reference/request-limits). */
export const NOTION_LIMITS = {
  /** Characters in one rich-text item: longer text is split into several items. */
  richTextItem: 2000,
  /** Items in any array: rich-text items of one value, multi-select options, blocks per request. */
  array: 100,
} as const;

/** The property types the step sets, in the order the editor explains them. */
export const notionPropertyTypes = [
  'title',
  'rich_text',
  'number',
  'select',
  'multi_select',
  'status',
  'date',
  'checkbox',
  'url',
  'email',
  'phone_number',
] as const;
export type NotionPropertyType = (typeof notionPropertyTypes)[number];

export function isNotionPropertyType(type: string): type is NotionPropertyType {
  return (notionPropertyTypes as readonly string[]).includes(type);
}

/**
 * A Notion id as the API takes it (8-4-4-4-12 hex), from an id with or without dashes or from a
 * link to the page or database (notion.so/Title-<32 hex>?v=…); undefined when there is none.
 */
export function notionIdOf(text: string): string | undefined {
  const trimmed = text.trim();
  const path = /^https?:\/\//i.test(trimmed) ? trimmed.replace(/[?#].*$/, '') : trimmed;
  const hex = /([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})(?![0-9a-f])$/i.exec(
    path,
  );
  return hex ? hex.slice(1).join('-').toLowerCase() : undefined;
}

// A check and an overwrite, not a transform: the type stays a string, so the OpenAPI document can
// describe it on the way out too.
const notionId = (what: string) =>
  z
    .string({ error: `Pick the ${what}` })
    .trim()
    .min(1, `Pick the ${what}`)
    .refine((text) => notionIdOf(text) !== undefined, {
      error: (issue) =>
        `"${String(issue.input).slice(0, 80)}" is not a Notion ${what} id or link (32 hexadecimal digits)`,
    })
    .overwrite((text) => notionIdOf(text) ?? text);

export const notionParentTypes = ['dataSource', 'page'] as const;

const parentSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('dataSource'), id: notionId('database') }),
    strictObject({ type: z.literal('page'), id: notionId('page') }),
  ],
  { error: 'Parent is { "type": "dataSource" | "page", "id": "…" }' },
);

const propertyName = z.string().min(1).max(200, 'A property name is at most 200 characters');
/** Page content is split into paragraphs (a blank line between two) and each into 2,000-character items. */
const MAX_CONTENT = 200_000;

export const notionConfigSchema = strictObject({
  credentialId: credentialIdSchema,
  parent: parentSchema,
  /** Property name → its value or an expression; the data source's schema says how to send each. */
  properties: z
    .record(propertyName, z.string({ error: 'A property value is text or an expression' }).max(MAX_CONTENT))
    .default({}),
  /** The page's body as paragraphs: a blank line starts a new one. */
  content: z.string().max(MAX_CONTENT, `Content must be at most ${MAX_CONTENT} characters`).optional(),
  retry: retrySchema.prefault({}),
});
export type NotionConfig = z.output<typeof notionConfigSchema>;

/** What a property's value may be once resolved: text, a number, true/false, nothing, or a list (multi-select). */
const resolvedValue = z.union(
  [z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))],
  { error: 'A property value must be text, a number, true/false or a list of texts' },
);

export const notionInputSchema = strictObject({
  credentialId: credentialIdSchema,
  parent: parentSchema,
  properties: z.record(propertyName, resolvedValue).default({}),
  content: z
    .preprocess(
      (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
      z
        .string({ error: 'Content must be text' })
        .max(MAX_CONTENT, `Content must be at most ${MAX_CONTENT} characters`),
    )
    .optional(),
  retry: retrySchema.prefault({}),
});
export type NotionInput = z.output<typeof notionInputSchema>;

export const notionOutputSchema = z.object({
  id: z.string().describe('The id of the page created'),
  url: z.string().describe('The link to the page in Notion'),
  createdTime: z.string().describe('When Notion created it (ISO 8601)'),
  /** The data source (database) or page it was created in. */
  parent: z.object({ type: z.enum(notionParentTypes), id: z.string() }),
});
export type NotionOutput = z.output<typeof notionOutputSchema>;

export const notionStepType = defineStepSpec({
  type: 'notion',
  title: 'Create Notion page',
  description:
    'Creates a page in a Notion database (one row, its properties typed from the schema) or under a page.',
  configSchema: notionConfigSchema,
  inputSchema: notionInputSchema,
  outputSchema: notionOutputSchema,
  auth: { types: ['notion'], path: ['credentialId'], required: true },
  defaults: (): NotionConfig => ({
    credentialId: '',
    parent: { type: 'dataSource', id: '' },
    properties: {},
    retry: { attempts: 0, backoff: 'exponential', delayMs: 1000 },
  }),
});

// ---------------------------------------------------------------------------------------------
// The editor's database picker: `notion.dataSources` and `notion.dataSource`
// ---------------------------------------------------------------------------------------------

const credentialUuid = z.uuid('Credential id must be a UUID');

export const notionDataSourcesInput = strictObject({
  credentialId: credentialUuid,
  query: z.string().trim().max(200).optional(),
  cursor: z.string().max(200).optional(),
});
export type NotionDataSourcesInput = z.input<typeof notionDataSourcesInput>;

export const notionDataSourceInput = strictObject({
  credentialId: credentialUuid,
  /** A data source id, a database id (resolved to its data source) or a link to either. */
  id: notionId('database'),
});
export type NotionDataSourceInput = z.input<typeof notionDataSourceInput>;

/** A database (data source) the integration can see, as the picker lists it. */
export interface NotionDataSourceSummary {
  id: string;
  title: string;
  url: string | null;
}

export interface NotionPropertySummary {
  name: string;
  /** Notion's type; the step sets those in `notionPropertyTypes`, the form shows the others as read-only. */
  type: string;
  /** The option names of a select, multi-select or status property. */
  options: string[];
}

export interface NotionDataSourceSchema extends NotionDataSourceSummary {
  properties: NotionPropertySummary[];
}
