import { z } from 'zod';
import { HEADER_NAME } from '../credentials/headers';
import { parseTemplate } from '../expressions';
import { jsonValueSchema } from './json-value';
import { defineStepSpec } from './node-spec';
import { strictObject, unknownTypeError } from './schema-builders';

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD'] as const;
export type HttpMethod = (typeof httpMethods)[number];

export const httpBodyTypes = ['none', 'json', 'text', 'form'] as const satisfies readonly HttpBody['type'][];
export const retryBackoffs = ['fixed', 'exponential'] as const;

function checkHeaders(headers: Record<string, string>, ctx: z.RefinementCtx) {
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) {
      ctx.addIssue({
        code: 'custom',
        path: [name],
        message: `"${name}" is not a valid header name: use letters, digits and - (e.g. X-Request-Id)`,
      });
    } else if (/[\r\n]/.test(value)) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'Header values cannot contain line breaks' });
    }
  }
}

const headersSchema = z.record(z.string(), z.string()).superRefine(checkHeaders);
const stringRecordSchema = z.record(z.string(), z.string());

/**
 * Where the step sends text (header and query values, a text body), a whole-string expression may
 * have resolved to a number or true/false: sent as its text, "42" or "true". Objects, lists and null
 * stay what they are, so the input check refuses them.
 */
const sentAsText = z.preprocess(
  (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
  z.string(),
);

/**
 * The URL's scheme is checked where it is written down. A URL that starts with an expression gets
 * its scheme at run time, and the worker checks the resolved URL (scheme and SSRF rules) again.
 */
const urlSchema = z
  .string({ error: 'URL is required' })
  .trim()
  .min(1, 'URL is required')
  .superRefine((url, ctx) => {
    const parsed = parseTemplate(url);
    // Expression syntax errors are reported with every other expression, by the definition schema.
    if (!parsed.ok) return;
    const [first] = parsed.segments;
    if (first?.kind !== 'text') return;
    if (!/^https?:\/\//i.test(first.text)) {
      const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(first.text)?.[1];
      ctx.addIssue(
        scheme
          ? `URL must start with http:// or https://; "${scheme}:" URLs are not allowed`
          : 'URL must start with http:// or https:// (e.g. https://api.example.com/events)',
      );
    } else if (parsed.segments.length === 1 && !/^https?:\/\/[^/?#]/i.test(first.text)) {
      ctx.addIssue('URL needs a host after the scheme (e.g. https://api.example.com)');
    } else if (parsed.segments.some((segment) => segment.kind === 'text' && /\s/.test(segment.text))) {
      ctx.addIssue('URL cannot contain spaces: encode them as %20');
    }
  });

export const httpBodySchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('none') }),
    strictObject({ type: z.literal('json'), value: jsonValueSchema }),
    strictObject({ type: z.literal('text'), value: z.string({ error: 'Text body value must be a string' }) }),
    strictObject({ type: z.literal('form'), value: stringRecordSchema }),
  ],
  { error: unknownTypeError('body type') },
);
export type HttpBody = z.output<typeof httpBodySchema>;

/** The body after its expressions were resolved: form values are sent as text whatever JSON they hold. */
const httpBodyInputSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('none') }),
    strictObject({ type: z.literal('json'), value: jsonValueSchema }),
    strictObject({ type: z.literal('text'), value: sentAsText }),
    strictObject({ type: z.literal('form'), value: z.record(z.string(), jsonValueSchema) }),
  ],
  { error: unknownTypeError('body type') },
);

/**
 * Where a credential is named in a step's config: by its id (its name in an export file, until
 * the import maps it to one of the user's credentials). Whether it exists, is the user's and has a
 * fitting type is checked when the workflow is saved.
 */
export const credentialIdSchema = z
  .string({ error: 'Pick a credential' })
  .trim()
  .min(1, 'Pick a credential')
  .max(100, 'A credential id is at most 100 characters');

/** The HTTP step's authentication: none, or a Bearer, Basic or Header credential. */
export const httpAuthSchema = z.discriminatedUnion(
  'type',
  [
    strictObject({ type: z.literal('none') }),
    strictObject({ type: z.literal('credential'), credentialId: credentialIdSchema }),
  ],
  { error: unknownTypeError('auth type') },
);
export type HttpAuth = z.output<typeof httpAuthSchema>;

export const retrySchema = strictObject({
  attempts: z.int().min(0).max(10, 'Retry attempts must be between 0 and 10').default(0),
  backoff: z
    .enum(retryBackoffs, { error: `Backoff must be one of ${retryBackoffs.join(', ')}` })
    .default('exponential'),
  delayMs: z.int().min(0).max(60_000, 'Retry delay must be at most 60000 ms').default(1000),
});
export type RetryPolicy = z.output<typeof retrySchema>;

const method = z
  .enum(httpMethods, { error: `Method must be one of ${httpMethods.join(', ')}` })
  .default('GET');
const timeoutMs = z
  .int('Timeout must be a whole number of milliseconds')
  .min(1, 'Timeout must be between 1 and 60000 ms')
  .max(60_000, 'Timeout must be between 1 and 60000 ms')
  .default(10_000);

// fetch refuses a body on GET and HEAD; say so at save time rather than on the first run.
function noBodyOnGetOrHead(config: { method: HttpMethod; body: { type: string } }, ctx: z.RefinementCtx) {
  if ((config.method === 'GET' || config.method === 'HEAD') && config.body.type !== 'none') {
    ctx.addIssue({
      code: 'custom',
      path: ['body'],
      message: `${config.method} requests cannot have a body: choose POST, PUT, PATCH or DELETE, or set the body type to none`,
    });
  }
}

export const httpConfigSchema = strictObject({
  method,
  url: urlSchema,
  headers: headersSchema.default({}),
  query: stringRecordSchema.default({}),
  body: httpBodySchema.default({ type: 'none' }),
  auth: httpAuthSchema.default({ type: 'none' }),
  timeoutMs,
  retry: retrySchema.prefault({}),
  failOnHttpError: z.boolean().default(true),
}).superRefine(noBodyOnGetOrHead);
export type HttpConfig = z.output<typeof httpConfigSchema>;
export type HttpConfigInput = z.input<typeof httpConfigSchema>;

/** The config after its expressions were resolved: what the step runs on, checked first. */
export const httpInputSchema = strictObject({
  method,
  // Only text here: the HTTP layer checks the URL itself (scheme, host, the SSRF guard), and encodes
  // what an expression put into it (a space in a name from the payload) as before.
  url: z.string({ error: 'URL is required' }).trim().min(1, 'URL is required'),
  headers: z.record(z.string(), sentAsText).superRefine(checkHeaders).default({}),
  query: z.record(z.string(), sentAsText).default({}),
  body: httpBodyInputSchema.default({ type: 'none' }),
  auth: httpAuthSchema.default({ type: 'none' }),
  timeoutMs,
  retry: retrySchema.prefault({}),
  failOnHttpError: z.boolean().default(true),
}).superRefine(noBodyOnGetOrHead);
export type HttpInput = z.output<typeof httpInputSchema>;

export const httpOutputSchema = z.object({
  status: z.int().describe('Response status code'),
  headers: z.record(z.string(), z.string()).describe('Response headers'),
  body: z.unknown().describe('Response body, parsed when it is JSON'),
  durationMs: z.number(),
  /** Set when the body was cut at 5 MiB; `body` then holds the first part, as text. */
  truncated: z.boolean().optional(),
});
export type HttpOutput = z.output<typeof httpOutputSchema>;

export const httpStepType = defineStepSpec({
  type: 'http',
  title: 'HTTP Request',
  description: 'Calls a URL and passes on the response: status, headers and body (parsed when it is JSON).',
  configSchema: httpConfigSchema,
  inputSchema: httpInputSchema,
  outputSchema: httpOutputSchema,
  auth: { types: ['httpBearer', 'httpBasic', 'httpHeader'], path: ['auth', 'credentialId'], required: false },
  defaults: (): HttpConfig => ({
    method: 'GET',
    url: '',
    headers: {},
    query: {},
    body: { type: 'none' },
    auth: { type: 'none' },
    timeoutMs: 10_000,
    retry: { attempts: 0, backoff: 'exponential', delayMs: 1000 },
    failOnHttpError: true,
  }),
});
