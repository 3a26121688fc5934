import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type WorkflowDefinition, workflowDefinitionSchema } from './definition';
import { type FilterCondition, filterMatchModes, filterOperatorNames, filterOperators } from './filter';
import { type HttpAuth, type HttpBody, type HttpConfig, httpMethods, retryBackoffs } from './http';
import type { JsonValue } from './json-value';
import type { Step } from './steps';
import { webhookMethods } from './webhook';

// Arbitraries of valid definitions in their parsed form: every default written out, names trimmed,
// fields in schema order, and only values that JSON text keeps as they are (no -0, no __proto__ keys,
// which zod does not copy).

/** Text without expressions; "{{" would make it a template. */
const plainText = fc.string({ maxLength: 30 }).filter((text) => !text.includes('{{'));
const key = fc.string({ maxLength: 12 }).filter((text) => text !== '__proto__');
const triggerTemplate = fc.constantFrom(
  '{{ trigger.body.user.id }}',
  'Hi {{ trigger.body["first name"] }}!',
  '{{trigger.headers.x-source}}',
  "{{ trigger.query['page'] }}/{{ trigger.method }}",
  '{{ trigger.body.items[0].sku }}',
);
const text = fc.oneof(plainText, triggerTemplate);
const stringRecord = fc.dictionary(key, text, { maxKeys: 4, noNullPrototype: true });

const { jsonValue } = fc.letrec<{ jsonValue: JsonValue }>((tie) => ({
  jsonValue: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.double({ noNaN: true, noDefaultInfinity: true }).filter((number) => !Object.is(number, -0)),
    text,
    fc.array(tie('jsonValue'), { maxLength: 4 }),
    fc.dictionary(key, tie('jsonValue'), { maxKeys: 4, noNullPrototype: true }),
  ),
}));

const httpConfig: fc.Arbitrary<HttpConfig> = fc
  .record({
    method: fc.constantFrom(...httpMethods),
    url: fc.constantFrom(
      'https://api.example.com/events',
      'http://localhost:3000/hook?x=1',
      '{{ trigger.body.callbackUrl }}',
      'https://api.example.com/users/{{ trigger.body.user.id }}',
    ),
    headers: fc.dictionary(fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/), text, {
      maxKeys: 3,
      noNullPrototype: true,
    }),
    query: stringRecord,
    body: fc.oneof(
      fc.constant<HttpBody>({ type: 'none' }),
      jsonValue.map((value): HttpBody => ({ type: 'json', value })),
      text.map((value): HttpBody => ({ type: 'text', value })),
      stringRecord.map((value): HttpBody => ({ type: 'form', value })),
    ),
    auth: fc.oneof(
      fc.constant<HttpAuth>({ type: 'none' }),
      fc.uuid().map((credentialId): HttpAuth => ({ type: 'credential', credentialId })),
    ),
    timeoutMs: fc.integer({ min: 1, max: 60_000 }),
    retry: fc.record({
      attempts: fc.integer({ min: 0, max: 10 }),
      backoff: fc.constantFrom(...retryBackoffs),
      delayMs: fc.integer({ min: 0, max: 60_000 }),
    }),
    failOnHttpError: fc.boolean(),
  })
  // GET and HEAD cannot carry a body.
  .map((config) =>
    config.method === 'GET' || config.method === 'HEAD' ? { ...config, body: { type: 'none' } } : config,
  );

const condition: fc.Arbitrary<FilterCondition> = fc
  .record({
    left: fc.oneof(
      triggerTemplate,
      plainText.filter((value) => value.length > 0),
    ),
    op: fc.constantFrom(...filterOperatorNames),
    right: text,
    pattern: fc.constantFrom('^pro$', '/^ord_\\d+$/i', '', 'a|b'),
    caseSensitive: fc.boolean(),
  })
  .map(({ left, op, right, pattern, caseSensitive }) => {
    if (filterOperators[op].unary) return { left, op, caseSensitive };
    return { left, op, right: op === 'matchesRegex' ? pattern : right, caseSensitive };
  });

const step = fc.record({
  id: fc.stringMatching(/^[a-z0-9-]{1,64}$/),
  name: fc.string({ minLength: 1, maxLength: 100 }).filter((name) => name.trim() === name && name !== ''),
  config: fc.oneof(
    httpConfig.map((config) => ({ type: 'http' as const, config })),
    fc
      .record({
        match: fc.constantFrom(...filterMatchModes),
        conditions: fc.array(condition, { minLength: 1, maxLength: 4 }),
      })
      .map((config) => ({ type: 'filter' as const, config })),
  ),
  usesPreviousStep: fc.boolean(),
});

const validDefinition: fc.Arbitrary<WorkflowDefinition> = fc
  .record({
    method: fc.constantFrom(...webhookMethods),
    steps: fc.uniqueArray(step, { maxLength: 6, selector: (candidate) => candidate.id }),
  })
  .map(({ method, steps }) => ({
    schemaVersion: 1 as const,
    trigger: { type: 'webhook' as const, config: { method } },
    steps: steps.map(({ id, name, config, usesPreviousStep }, index): Step => {
      const previous = steps[index - 1];
      const reference = usesPreviousStep && previous ? `{{ steps.${previous.id}.body }}` : undefined;
      if (config.type === 'http') {
        const headers = reference
          ? { ...config.config.headers, 'X-Previous': reference }
          : config.config.headers;
        return { id, name, type: 'http', config: { ...config.config, headers } };
      }
      const conditions = reference
        ? [...config.config.conditions, { left: reference, op: 'exists' as const, caseSensitive: true }]
        : config.config.conditions;
      return { id, name, type: 'filter', config: { ...config.config, conditions } };
    }),
  }));

describe('workflowDefinitionSchema (properties)', () => {
  it('parses every valid definition back unchanged after a JSON round trip', () => {
    fc.assert(
      fc.property(validDefinition, (definition) => {
        const text = JSON.stringify(definition);
        const parsed = workflowDefinitionSchema.parse(JSON.parse(text));
        expect(parsed).toEqual(definition);
        expect(JSON.stringify(parsed)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('is idempotent: parsing its own output changes nothing', () => {
    fc.assert(
      fc.property(validDefinition, (definition) => {
        const once = workflowDefinitionSchema.parse(definition);
        expect(workflowDefinitionSchema.parse(once)).toEqual(once);
      }),
      { numRuns: 200 },
    );
  });
});
