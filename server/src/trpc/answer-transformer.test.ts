import fc from 'fast-check';
import superjson from 'superjson';
import { describe, expect, it } from 'vitest';
import { serializeAnswer } from './answer-transformer';

/** What a client reads: the answer as it crosses the wire (JSON text), then superjson.deserialize. */
const received = (result: unknown) => superjson.deserialize(JSON.parse(JSON.stringify(result) ?? 'null'));

/**
 * Keys as answers and stored JSON have them, with superjson's path characters among them (but not
 * the keys superjson refuses to write at all: a test of their own below).
 */
const key = fc
  .oneof(fc.string(), fc.constantFrom('a.b', 'a\\b', 'a\\.b', '.', '0', 'root', 'json', 'meta'))
  .filter((k) => !['__proto__', 'constructor', 'prototype'].includes(k));

/** Values built of these leaves, in arrays and objects. */
const valuesOf = (...leaves: fc.Arbitrary<unknown>[]) =>
  fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, ...leaves, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 5 }),
    object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
  })).value;

const json = [fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined)];
/** Values an answer may hold: JSON, Dates and undefined, and now and then something only superjson writes. */
const answer = valuesOf(...json, fc.double(), fc.integer(), fc.date({ noInvalidDate: false }), fc.bigInt());
/** Only what the walk writes itself: JSON, valid Dates and undefined. */
const plainAnswer = valuesOf(...json, fc.integer({ min: 1 }), fc.date());

describe('serializeAnswer', () => {
  it('is read by superjson exactly as superjson.serialize would be', () => {
    fc.assert(
      fc.property(answer, (value) => {
        expect(received(serializeAnswer(value))).toStrictEqual(received(superjson.serialize(value)));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(plainAnswer, (value) => {
        const result = serializeAnswer(value);
        expect(result.json).toBe(value);
        expect(received(result)).toStrictEqual(received(superjson.serialize(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('sends an answer of JSON, Dates and undefined as it is, with the paths superjson annotates', () => {
    const execution = {
      id: 'e1',
      createdAt: new Date('2026-12-01T10:00:00.000Z'),
      finishedAt: null,
      steps: [{ 'step.id': 'a', output: { body: { list: [1, 'two', { deep: true }] } }, error: undefined }],
    };
    const result = serializeAnswer(execution);
    expect(result.json).toBe(execution);
    expect(result.meta).toEqual({ values: { createdAt: ['Date'], 'steps.0.error': ['undefined'] }, v: 1 });
    expect(superjson.serialize(execution).meta?.values).toEqual(result.meta?.values);
    expect(serializeAnswer({ items: [], nextCursor: null })).toEqual({
      json: { items: [], nextCursor: null },
    });
    expect(serializeAnswer(new Date(0))).toEqual({ json: new Date(0), meta: { values: ['Date'], v: 1 } });
  });

  it('leaves to superjson what it does not write, and sends data with keys superjson refuses', () => {
    const special = { count: 10n, ratio: Number.NaN, tags: new Set(['a']) };
    expect(serializeAnswer(special)).toEqual(superjson.serialize(special));
    // A step output with such keys (an API's JSON may have them): superjson throws on them (a 500
    // for the whole answer), while as plain JSON they are just keys. superjson's reading copy drops
    // "__proto__" and gives every object the plain prototype.
    const output = JSON.parse(
      '{"constructor": {"name": "x"}, "__proto__": {"polluted": true}, "prototype": 1}',
    );
    expect(() => superjson.serialize({ output })).toThrow(/prototype pollution/);
    const read = received(serializeAnswer({ output, at: new Date(0) })) as { output: object; at: Date };
    // As text: the matchers themselves read `constructor`.
    expect(JSON.stringify(read)).toBe(
      '{"output":{"constructor":{"name":"x"},"prototype":1},"at":"1970-01-01T00:00:00.000Z"}',
    );
    expect(read.at).toEqual(new Date(0));
    expect(Object.getPrototypeOf(read.output)).toBe(Object.prototype);
    // Beneath such a key nothing is annotated: superjson decides, and refuses.
    expect(() => serializeAnswer({ constructor: { at: new Date(0) } })).toThrow(/prototype pollution/);
  });
});
