import { describe, expect, it } from 'vitest';
import { type ExpressionSegment, parseTemplate } from './parse';

function segmentsOf(text: string) {
  const result = parseTemplate(text);
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.error.message}`);
  return result.segments;
}

function pathOf(text: string) {
  const [only] = segmentsOf(text);
  if (only?.kind !== 'expression') throw new Error(`expected ${text} to be one expression`);
  return only.path;
}

function errorOf(text: string) {
  const result = parseTemplate(text);
  if (result.ok) throw new Error(`expected ${text} to be a syntax error`);
  return result.error;
}

describe('parseTemplate', () => {
  it('returns plain text as one text segment, and nothing for an empty string', () => {
    expect(segmentsOf('hello { world } }}')).toEqual([{ kind: 'text', text: 'hello { world } }}' }]);
    expect(segmentsOf('')).toEqual([]);
  });

  it('splits text and expressions, keeping the source and offsets of each expression', () => {
    const text = 'Hi {{ trigger.body.user.name }}, you owe {{steps.bill.body.amount}}!';
    expect(segmentsOf(text)).toEqual([
      { kind: 'text', text: 'Hi ' },
      {
        kind: 'expression',
        source: 'trigger.body.user.name',
        path: ['trigger', 'body', 'user', 'name'],
        start: 3,
        end: 31,
      },
      { kind: 'text', text: ', you owe ' },
      {
        kind: 'expression',
        source: 'steps.bill.body.amount',
        path: ['steps', 'bill', 'body', 'amount'],
        start: 41,
        end: 67,
      },
      { kind: 'text', text: '!' },
    ]);
    const expression = segmentsOf(text)[1] as ExpressionSegment;
    expect(text.slice(expression.start, expression.end)).toBe('{{ trigger.body.user.name }}');
  });

  it('reads dots, indexes and both kinds of quoted keys', () => {
    expect(pathOf(`{{ steps.notify.body.items[0]["first name"]['it\\'s'].x }}`)).toEqual([
      'steps',
      'notify',
      'body',
      'items',
      0,
      'first name',
      "it's",
      'x',
    ]);
    expect(pathOf('{{ trigger.body["say \\"hi\\""]["back\\\\slash"] }}')).toEqual([
      'trigger',
      'body',
      'say "hi"',
      'back\\slash',
    ]);
  });

  it('allows step ids with dashes, header names and digit-only names after a dot', () => {
    expect(pathOf('{{ steps.only-pro.status }}')).toEqual(['steps', 'only-pro', 'status']);
    expect(pathOf('{{ trigger.headers.x-request-id }}')).toEqual(['trigger', 'headers', 'x-request-id']);
    expect(pathOf('{{ trigger.body.items.0 }}')).toEqual(['trigger', 'body', 'items', '0']);
  });

  it('allows any whitespace around the path, none required', () => {
    expect(pathOf('{{trigger.method}}')).toEqual(['trigger', 'method']);
    expect(pathOf('{{ \n\t trigger.method \n }}')).toEqual(['trigger', 'method']);
  });

  it('reads a quoted key that contains braces, dots and brackets as data', () => {
    expect(pathOf('{{ trigger.body["a}}.b[0]{{"] }}')).toEqual(['trigger', 'body', 'a}}.b[0]{{']);
  });

  it('reports an unterminated expression at its opening braces', () => {
    const error = errorOf('Hello {{ trigger.body');
    expect(error.position).toBe(6);
    expect(error.message).toBe('Unterminated expression: the "{{" at position 6 has no closing "}}"');
    expect(errorOf('{{ trigger.body["x }}').message).toMatch(/^Unterminated expression/);
    expect(errorOf('{{ trigger.body }').message).toMatch(/^Unterminated expression/);
  });

  it('reports an empty expression', () => {
    expect(errorOf('a {{ }} b')).toEqual({
      message: 'Empty expression at position 2: write a path such as {{ trigger.body.id }}',
      position: 2,
    });
    expect(errorOf('{{}}').position).toBe(0);
  });

  it.each([
    ['{{ trigger..body }}', 11, 'a property name after "."'],
    ['{{ trigger.body. }}', 16, 'a property name after "."'],
    ['{{ trigger.body[ }}', 16, 'an array index such as [0] or a quoted key such as ["name"]'],
    ['{{ trigger.body[-1] }}', 16, 'an array index such as [0] or a quoted key such as ["name"]'],
    ['{{ trigger.body[0 }}', 17, '"]"'],
    ['{{ trigger body }}', 11, '"}}", ".", or "["'],
    ['{{ "trigger" }}', 3, 'a name such as trigger or steps'],
    ['{{ a + b }}', 5, '"}}", ".", or "["'],
    ['{{{ trigger.body }}}', 2, 'a name such as trigger or steps'],
  ])('reports bad path syntax in %s at the offending character', (text, position, expected) => {
    const error = errorOf(text);
    expect(error.position).toBe(position);
    expect(error.message).toContain(`expected ${expected}`);
  });

  it('rejects leading zeros and unsupported escapes', () => {
    expect(errorOf('{{ trigger.body[01] }}').message).toMatch(/^Invalid array index "01"/);
    expect(errorOf('{{ trigger.body[99999999999999999999] }}').message).toMatch(/^Invalid array index/);
    expect(errorOf('{{ trigger.body["a\\nb"] }}').message).toMatch(/^Unsupported escape/);
  });

  it('treats calls and JavaScript as syntax errors, never as code', () => {
    const error = errorOf("{{constructor.constructor('return process')()}}");
    expect(error.position).toBe(25);
    expect(error.message).toContain('operators and calls are not supported');
    for (const hostile of [
      '{{ trigger.body.x; process.exit(1) }}',
      '{{ this.constructor }}x{{ (() => 1)() }}',
      '{{ trigger.body["x"] + process.env }}',
      '{{ trigger.body[constructor] }}',
      '{{ require("child_process") }}',
    ]) {
      expect(parseTemplate(hostile).ok, hostile).toBe(false);
    }
  });

  it('parses long inputs in linear time', () => {
    const text = 'x {{ trigger.body.a[0]["b"] }} '.repeat(50_000);
    // 100,001 segments: a parser that rescans the text would not finish within the test timeout.
    expect(segmentsOf(text)).toHaveLength(100_001);
    expect(errorOf(`${'{{ a }}'.repeat(10_000)}{{ b`).position).toBe(70_000);
  });
});
