import {
  findExpressions,
  isRecord,
  type JsonValue,
  type PathSegment,
  parseTemplate,
  type WebhookMethod,
} from '@automateos/shared';

/** A request to the webhook, as a sample for the `curl` and the test-run payload. */
export interface SampleRequest {
  /** Undefined when nothing reads the body. */
  body: JsonValue | undefined;
  query: Record<string, string>;
  headers: Record<string, string>;
}

const PLACEHOLDER = 'example';

/**
 * The request the workflow's expressions read: every `trigger.body…`, `trigger.query…` and
 * `trigger.headers…` path they use, with a placeholder value, or, where a Filter compares the field
 * with a value, one that passes (`{{ trigger.body.user.plan }} equals pro` gives "pro").
 */
export function sampleRequest(definition: unknown): SampleRequest {
  const steps = isRecord(definition) && Array.isArray(definition.steps) ? definition.steps : [];
  const passing = passingValues(steps);
  const body: { value: JsonValue | undefined } = { value: undefined };
  const query: Record<string, string> = {};
  const headers: Record<string, string> = {};
  for (const { expression } of findExpressions(steps).expressions) {
    const [root, field, ...rest] = expression.path;
    if (root !== 'trigger') continue;
    const value = passing.get(expression.source) ?? PLACEHOLDER;
    if (field === 'body') body.value = withPath(body.value, rest, value);
    const [name] = rest;
    if (typeof name !== 'string') continue;
    if (field === 'query') query[name] = String(value);
    if (field === 'headers') headers[name] = String(value);
  }
  return { body: body.value, query, headers };
}

/** The sample from the last request received, where there is one: real data beats placeholders. */
export function lastRequest(fields: Record<string, unknown>, expected: SampleRequest): SampleRequest {
  const query = isRecord(fields.query) ? fields.query : {};
  const headers = isRecord(fields.headers) ? fields.headers : {};
  const text = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));
  return {
    body: fields.body === null || fields.body === undefined ? expected.body : (fields.body as JsonValue),
    query: Object.fromEntries(Object.entries(query).map(([key, value]) => [key, text(value)])),
    // Only the headers the workflow reads: a received request carries many (host, user-agent…).
    headers: Object.fromEntries(
      Object.keys(expected.headers).map((name) => [name, text(headers[name] ?? expected.headers[name])]),
    ),
  };
}

/** Conditions of Filter steps whose left side is a single `trigger…` path: a value that passes each. */
function passingValues(steps: unknown[]): Map<string, JsonValue> {
  const values = new Map<string, JsonValue>();
  for (const step of steps) {
    if (!isRecord(step) || step.type !== 'filter' || !isRecord(step.config)) continue;
    const conditions = Array.isArray(step.config.conditions) ? step.config.conditions : [];
    for (const condition of conditions) {
      if (!isRecord(condition) || typeof condition.left !== 'string') continue;
      const parsed = parseTemplate(condition.left.trim());
      const [only, ...others] = parsed.ok ? parsed.segments : [];
      if (only?.kind !== 'expression' || others.length > 0 || only.path[0] !== 'trigger') continue;
      const value = passingValue(String(condition.op), condition.right);
      if (value !== undefined) values.set(only.source, value);
    }
  }
  return values;
}

function passingValue(op: string, right: unknown): JsonValue | undefined {
  const text = typeof right === 'string' && !right.includes('{{') ? right : undefined;
  const number =
    text !== undefined && text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : undefined;
  switch (op) {
    case 'equals':
      return number ?? text;
    case 'contains':
    case 'startsWith':
    case 'endsWith':
      return text;
    case 'gt':
      return number === undefined ? undefined : number + 1;
    case 'lt':
      return number === undefined ? undefined : number - 1;
    case 'gte':
    case 'lte':
      return number;
    case 'isTrue':
      return true;
    case 'isFalse':
      return false;
    default:
      return undefined;
  }
}

/** `value` with `leaf` set at `path`, making objects and lists on the way (a deeper path wins). */
function withPath(value: JsonValue | undefined, path: readonly PathSegment[], leaf: JsonValue): JsonValue {
  const [head, ...rest] = path;
  if (head === undefined)
    return value !== undefined && typeof value === 'object' && value !== null ? value : leaf;
  if (typeof head === 'number') {
    const list = Array.isArray(value) ? [...value] : [];
    while (list.length <= head) list.push(PLACEHOLDER);
    list[head] = withPath(list[head], rest, leaf);
    return list;
  }
  const object: { [key: string]: JsonValue } = isRecord(value) && !Array.isArray(value) ? { ...value } : {};
  // defineProperty: a key such as __proto__ is data here too.
  Object.defineProperty(object, head, {
    value: withPath(Object.hasOwn(object, head) ? object[head] : undefined, rest, leaf),
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return object;
}

/** Single-quoted for POSIX shells: only a quote itself needs care. */
const shellQuote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

/**
 * A ready-to-paste request to the webhook with the sample: its query in the URL, the headers the
 * workflow reads, and the body as JSON (none for GET, which servers ignore a body on). ANY accepts
 * everything, so it shows the usual POST.
 */
export function curlExample(url: string, method: WebhookMethod, sample: SampleRequest): string {
  const query = new URLSearchParams(sample.query).toString();
  const parts = ['curl'];
  if (method !== 'GET') parts.push('-X', method === 'ANY' ? 'POST' : method);
  parts.push(shellQuote(query ? `${url}?${query}` : url));
  for (const [name, value] of Object.entries(sample.headers))
    parts.push('-H', shellQuote(`${name}: ${value}`));
  if (method !== 'GET') {
    parts.push('-H', shellQuote('content-type: application/json'));
    parts.push('-d', shellQuote(JSON.stringify(sample.body ?? {})));
  }
  return parts.join(' ');
}
