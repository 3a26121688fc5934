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

/** Whether `text` is an IPv6 address as a URL writes it between brackets (`::1`, `2001:db8::7`, `::ffff:1.2.3.4`). */
function isIpv6(text: string): boolean {
  const halves = text.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((half) => (half === '' ? [] : half.split(':')));
  const last = groups.at(-1) ?? '';
  const ipv4 = /^\d{1,3}(\.\d{1,3}){3}$/.test(last) && last.split('.').every((part) => Number(part) <= 255);
  const hex = ipv4 ? groups.slice(0, -1) : groups;
  if (!hex.every((group) => /^[0-9a-f]{1,4}$/i.test(group))) return false;
  const count = hex.length + (ipv4 ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * What is wrong with the host and port of an http(s) URL whose authority is written out in full, or
 * undefined: what would otherwise pass here and fail only when the step runs (`https://[::1`,
 * `http://127.0.0.1:99999/x`). Written out rather than `new URL`, which is not part of this package's
 * world (zod and pure JavaScript only).
 */
function authorityProblem(text: string): string | undefined {
  const afterScheme = text.slice(text.indexOf('://') + 3);
  const authority = afterScheme.split(/[/?#]/, 1)[0] ?? '';
  const hostAndPort = authority.slice(authority.lastIndexOf('@') + 1);
  let port: string | undefined;
  if (hostAndPort.startsWith('[')) {
    const close = hostAndPort.indexOf(']');
    if (close === -1) return `URL is not valid: the IPv6 address "${hostAndPort}" has no closing "]"`;
    const address = hostAndPort.slice(1, close);
    if (!isIpv6(address)) return `URL is not valid: "[${address}]" is not an IPv6 address`;
    const after = hostAndPort.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return `URL is not valid: unexpected "${after}" after "]"`;
    port = after === '' ? undefined : after.slice(1);
  } else {
    const colon = hostAndPort.lastIndexOf(':');
    const host = colon === -1 ? hostAndPort : hostAndPort.slice(0, colon);
    port = colon === -1 ? undefined : hostAndPort.slice(colon + 1);
    if (host === '') return 'URL needs a host after the scheme (e.g. https://api.example.com)';
    const bad = /[<>^|\\[\]"`{}]/.exec(host);
    if (bad) return `URL is not valid: "${bad[0]}" cannot be part of a host name`;
  }
  if (port !== undefined && port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) <= 65_535)) {
    return `URL is not valid: the port must be a number from 0 to 65535, not "${port}"`;
  }
  return undefined;
}

/**
 * The URL's scheme, host and port are checked where they are written down. A URL that starts with
 * an expression gets its scheme at run time (and one with an expression in its host, its host), and
 * the worker checks the resolved URL (scheme and SSRF rules) again.
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
    } else if (parsed.segments.length === 1 || /^https?:\/\/[^/?#]+[/?#]/i.test(first.text)) {
      // The host and port are all written out (no expression in them): they can be checked now.
      const problem = authorityProblem(first.text);
      if (problem) ctx.addIssue(problem);
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
