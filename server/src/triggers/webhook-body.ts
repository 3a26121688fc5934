/** Reading a webhook's body and query: the same for a request and for a replay of a recorded one. */

export class BodyError extends Error {
  constructor(
    readonly status: 400 | 415,
    message: string,
  ) {
    super(message);
  }
}

/** The body as the trigger data holds it, by its content type; BodyError for what cannot be read. */
export function parseBody(contentType: string | undefined, raw: Buffer | undefined): unknown {
  if (!raw || raw.length === 0) return null;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const text = raw.toString('utf8');
  if (type === 'application/json' || type.endsWith('+json')) {
    try {
      return JSON.parse(text);
    } catch {
      throw new BodyError(400, 'The body is not valid JSON.');
    }
  }
  if (type === 'application/x-www-form-urlencoded') return fieldsOf(new URLSearchParams(text));
  if (type === 'text/plain' || type === '') return text;
  throw new BodyError(415, `Unsupported content type "${type}". Send JSON, form-urlencoded or text.`);
}

/**
 * Query or form fields; a repeated name becomes a list. The object has no prototype, so names such
 * as `__proto__`, `constructor` or `toString` are kept as data like any other.
 */
export function fieldsOf(params: URLSearchParams): Record<string, string | string[]> {
  const fields: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of params) {
    const existing = Object.hasOwn(fields, key) ? fields[key] : undefined;
    // Appended in place: copying the list per repeat made 20,000 repeats of one name take seconds.
    if (existing === undefined) fields[key] = value;
    else if (Array.isArray(existing)) existing.push(value);
    else fields[key] = [existing, value];
  }
  return fields;
}
