/**
 * JSON text as people type it: parsed with JSON.parse, and when that fails, the first problem is
 * located by a small scanner of our own, because browsers word JSON.parse errors differently and
 * some (Safari) give no position at all.
 */

export interface JsonSyntaxError {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Offset in the text. */
  offset: number;
}

export type JsonParseResult = { ok: true; value: unknown } | { ok: false; error: JsonSyntaxError };

export function parseJson(text: string): JsonParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    const found = findSyntaxError(text) ?? {
      offset: 0,
      message: 'Not valid JSON',
    };
    return { ok: false, error: { ...found, ...lineAndColumn(text, found.offset) } };
  }
}

/** How the editor writes JSON: two-space indentation, like the README and export files. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? '';
}

export function describeJsonError({ line, column, message }: JsonSyntaxError): string {
  return `Line ${line}, column ${column}: ${message}`;
}

function lineAndColumn(text: string, offset: number) {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

interface Found {
  offset: number;
  message: string;
}

class JsonSyntax extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
  }
}

const MAX_DEPTH = 2000;
const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first syntax error in `text`, or undefined when the scanner finds none. */
function findSyntaxError(text: string): Found | undefined {
  let pos = 0;
  const fail = (message: string, at = pos): never => {
    throw new JsonSyntax(at, message);
  };
  const quoteAt = (at: number) => (at >= text.length ? 'the end of the text' : JSON.stringify(text[at]));
  const skipSpace = () => {
    while (pos < text.length && WHITESPACE.has(text.charAt(pos))) pos += 1;
  };

  const string = () => {
    const start = pos;
    pos += 1;
    while (pos < text.length) {
      const char = text.charAt(pos);
      if (char === '"') {
        pos += 1;
        return;
      }
      if (char === '\\') {
        const escaped = text.charAt(pos + 1);
        if (escaped === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(pos + 2, pos + 6)))
            fail('Bad \\u escape: write four hex digits, e.g. \\u00e9');
          pos += 6;
        } else if ('"\\/bfnrt'.includes(escaped) && escaped !== '') {
          pos += 2;
        } else {
          fail(`Bad escape "\\${escaped}" in a string: use \\", \\\\, \\n, \\t or \\uXXXX`);
        }
      } else if (char.charCodeAt(0) < 0x20) {
        fail(
          char === '\n'
            ? 'Line break inside a string: close the string with " or write \\n'
            : 'Control character inside a string: escape it, e.g. \\t',
        );
      } else {
        pos += 1;
      }
    }
    fail('Unterminated string: it has no closing "', start);
  };

  const value = (depth: number): void => {
    if (depth > MAX_DEPTH) fail('Nested too deeply');
    skipSpace();
    const char = text.charAt(pos);
    if (char === '{') {
      object(depth);
      return;
    }
    if (char === '[') {
      array(depth);
      return;
    }
    if (char === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, pos)) {
        pos += word.length;
        return;
      }
    }
    NUMBER.lastIndex = pos;
    if (NUMBER.test(text)) {
      pos = NUMBER.lastIndex;
      return;
    }
    if (char === "'") fail('Strings need double quotes ("…"), not single quotes');
    if (pos >= text.length) fail('Unexpected end of the text: a value is missing');
    fail(
      `Unexpected ${quoteAt(pos)}: expected a value (object, array, "string", number, true, false or null)`,
    );
  };

  const object = (depth: number) => {
    pos += 1;
    skipSpace();
    if (text.charAt(pos) === '}') {
      pos += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (text.charAt(pos) === '}') fail('Trailing comma: remove the comma before }', lastComma);
      if (text.charAt(pos) !== '"') {
        fail(
          pos >= text.length
            ? 'Unexpected end of the text: an object is missing its closing }'
            : `Unexpected ${quoteAt(pos)}: expected a property name in double quotes`,
        );
      }
      string();
      skipSpace();
      if (text.charAt(pos) !== ':') fail(`Unexpected ${quoteAt(pos)}: expected ":" after the property name`);
      pos += 1;
      value(depth + 1);
      skipSpace();
      const next = text.charAt(pos);
      if (next === '}') {
        pos += 1;
        return;
      }
      if (next !== ',') {
        fail(
          pos >= text.length
            ? 'Unexpected end of the text: an object is missing its closing }'
            : `Unexpected ${quoteAt(pos)}: expected "," or "}" after a property value`,
        );
      }
      lastComma = pos;
      pos += 1;
    }
  };

  const array = (depth: number) => {
    pos += 1;
    skipSpace();
    if (text.charAt(pos) === ']') {
      pos += 1;
      return;
    }
    for (;;) {
      skipSpace();
      if (text.charAt(pos) === ']') fail('Trailing comma: remove the comma before ]', lastComma);
      value(depth + 1);
      skipSpace();
      const next = text.charAt(pos);
      if (next === ']') {
        pos += 1;
        return;
      }
      if (next !== ',') {
        fail(
          pos >= text.length
            ? 'Unexpected end of the text: an array is missing its closing ]'
            : `Unexpected ${quoteAt(pos)}: expected "," or "]" after an array item`,
        );
      }
      lastComma = pos;
      pos += 1;
    }
  };

  let lastComma = 0;
  try {
    skipSpace();
    if (pos >= text.length) fail('The text is empty: write a JSON value');
    value(0);
    skipSpace();
    if (pos < text.length) fail(`Unexpected ${quoteAt(pos)} after the end of the JSON value`);
    return undefined;
  } catch (error) {
    if (error instanceof JsonSyntax) return { offset: error.offset, message: error.message };
    throw error;
  }
}
