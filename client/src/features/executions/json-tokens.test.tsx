import { ChakraProvider, defaultSystem } from '@chakra-ui/react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatJsonText, tokenizeJson } from './json-tokens';
import { JsonTokens, previewJson, toJsonText } from './json-view';

const kinds = (json: string) => tokenizeJson(json).filter((token) => token.kind !== 'whitespace');

describe('tokenizeJson', () => {
  it('tells every kind of token apart', () => {
    const json = toJsonText({ name: 'Ada', age: -36.5e2, pro: true, trial: false, plan: null, tags: [1] });
    expect(kinds(json)).toEqual([
      { kind: 'punctuation', text: '{' },
      { kind: 'key', text: '"name"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'string', text: '"Ada"' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"age"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'number', text: '-3650' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"pro"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'boolean', text: 'true' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"trial"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'boolean', text: 'false' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"plan"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'null', text: 'null' },
      { kind: 'punctuation', text: ',' },
      { kind: 'key', text: '"tags"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'punctuation', text: '[' },
      { kind: 'number', text: '1' },
      { kind: 'punctuation', text: ']' },
      { kind: 'punctuation', text: '}' },
    ]);
  });

  it('reads numbers with exponents and fractions', () => {
    expect(kinds('[1e+21,0.5,-0,1.5E-7]').filter((t) => t.kind === 'number')).toEqual([
      { kind: 'number', text: '1e+21' },
      { kind: 'number', text: '0.5' },
      { kind: 'number', text: '-0' },
      { kind: 'number', text: '1.5E-7' },
    ]);
  });

  it('keeps escaped quotes, colons and keywords inside strings', () => {
    const json = toJsonText({ 'a"b': 'say "hi": true, null\\' });
    expect(kinds(json)).toEqual([
      { kind: 'punctuation', text: '{' },
      { kind: 'key', text: '"a\\"b"' },
      { kind: 'punctuation', text: ':' },
      { kind: 'string', text: '"say \\"hi\\": true, null\\\\"' },
      { kind: 'punctuation', text: '}' },
    ]);
  });

  it('gives back exactly the text it was given', () => {
    for (const value of [
      { nested: { list: [1, 'two', [null, true]], empty: {}, none: [] } },
      'just a string',
      42,
      null,
      [],
      { unicode: 'héllo ✓ \u2028', newline: 'a\nb' },
    ]) {
      const json = toJsonText(value);
      expect(
        tokenizeJson(json)
          .map((token) => token.text)
          .join(''),
      ).toBe(json);
    }
  });

  it('keeps text that is not JSON as uncolored text instead of dropping it', () => {
    const text = '{"cut": "in the midd';
    const tokens = tokenizeJson(text);
    expect(tokens.map((token) => token.text).join('')).toBe(text);
    expect(tokens.some((token) => token.kind === 'string' && token.text.includes('midd'))).toBe(false);
  });
});

describe('JsonTokens', () => {
  const render = (value: unknown) =>
    renderToStaticMarkup(
      <ChakraProvider value={defaultSystem}>
        <JsonTokens text={toJsonText(value)} />
      </ChakraProvider>,
    );

  it('renders hostile strings as text, never as markup', () => {
    const html = render({ '<script>alert(1)</script>': '<img src=x onerror=alert(1)>' });
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('marks each token with its kind', () => {
    const html = render({ k: 'v', n: 1, b: false, z: null });
    for (const kind of ['key', 'string', 'number', 'boolean', 'null', 'punctuation']) {
      expect(html).toContain(`data-token="${kind}"`);
    }
  });
});

describe('previewJson', () => {
  it('leaves short documents whole', () => {
    expect(previewJson('{\n  "a": 1\n}', 10, 100)).toEqual({
      text: '{\n  "a": 1\n}',
      truncated: false,
      totalLines: 3,
    });
  });

  it('cuts long documents at a line boundary', () => {
    const text = toJsonText(Array.from({ length: 100 }, (_, i) => i));
    const preview = previewJson(text, 10, 10_000);
    expect(preview).toMatchObject({ truncated: true, totalLines: 102 });
    expect(preview.text.split('\n')).toHaveLength(10);
  });

  it('cuts a single huge line at the character limit', () => {
    const preview = previewJson(toJsonText('x'.repeat(50_000)), 10, 1_000);
    expect(preview.truncated).toBe(true);
    expect(preview.text).toHaveLength(1_000);
  });
});

describe('formatJsonText', () => {
  it('lays JSON out like JSON.stringify does, keeping the written key order and numbers', () => {
    const values = [{ a: [1, { b: null }], c: {}, d: [], e: 'x"y\\z', f: true }, [], 'text', 12];
    for (const value of values) {
      expect(formatJsonText(JSON.stringify(value))).toBe(JSON.stringify(value, null, 2));
    }
    expect(formatJsonText('{ "b" : 1.50,\n"10":[ 2 ,3],"a": "\\u00e9" }')).toBe(
      '{\n  "b": 1.50,\n  "10": [\n    2,\n    3\n  ],\n  "a": "\\u00e9"\n}',
    );
    expect(formatJsonText('{"a": 1,}')).toBeUndefined();
  });
});
