/** The kinds of text in pretty-printed JSON, each shown in its own color. */
export type JsonTokenKind = 'key' | 'string' | 'number' | 'boolean' | 'null' | 'punctuation' | 'whitespace';

export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
}

// One alternative per kind; a string followed by optional whitespace and ":" is an object key.
const TOKEN =
  /("(?:[^"\\]|\\.)*")(\s*:)?|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)|(true|false)|(null)|([{}[\],:])|(\s+)/y;

/**
 * Splits the output of `JSON.stringify` into colored tokens. The tokens' texts, joined, are the
 * input again: nothing is dropped or added, and every token is rendered as plain React text.
 * Anything unexpected (the input is not JSON after all) becomes a punctuation token, one character
 * at a time, so the view degrades to uncolored text instead of losing it.
 */
export function tokenizeJson(json: string): JsonToken[] {
  const tokens: JsonToken[] = [];
  const push = (kind: JsonTokenKind, text: string) => {
    const last = tokens.at(-1);
    // Consecutive punctuation and whitespace merge, so a deep document renders fewer spans.
    if (last && last.kind === kind && (kind === 'punctuation' || kind === 'whitespace')) last.text += text;
    else tokens.push({ kind, text });
  };
  let index = 0;
  while (index < json.length) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(json);
    if (!match) {
      push('punctuation', json.charAt(index));
      index++;
      continue;
    }
    const [text, string, colon, number, boolean, nil, punctuation, whitespace] = match;
    if (string !== undefined) {
      push(colon === undefined ? 'string' : 'key', string);
      if (colon !== undefined) {
        const spaces = colon.slice(0, -1);
        if (spaces) push('whitespace', spaces);
        push('punctuation', ':');
      }
    } else if (number !== undefined) push('number', number);
    else if (boolean !== undefined) push('boolean', boolean);
    else if (nil !== undefined) push('null', nil);
    else if (punctuation !== undefined) push('punctuation', punctuation);
    else if (whitespace !== undefined) push('whitespace', whitespace);
    index += text.length;
  }
  return tokens;
}

/**
 * Valid JSON text laid out as `JSON.stringify(value, null, 2)` would, but from the text itself: keys
 * stay in the order they were written (whole-number keys included, which a parsed object moves to the
 * front) and numbers and escapes stay as written. Undefined when the text is not JSON.
 */
export function formatJsonText(text: string): string | undefined {
  try {
    JSON.parse(text);
  } catch {
    return undefined;
  }
  let out = '';
  let depth = 0;
  const newline = () => `\n${'  '.repeat(depth)}`;
  for (let index = 0; index < text.length; index++) {
    const char = text.charAt(index);
    if (char === '"') {
      // A string, escapes and all, copied as it is.
      let end = index + 1;
      while (text.charAt(end) !== '"') end += text.charAt(end) === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end;
    } else if (char === '{' || char === '[') {
      const close = char === '{' ? '}' : ']';
      let next = index + 1;
      while (/\s/.test(text.charAt(next))) next++;
      if (text.charAt(next) === close) {
        out += char + close;
        index = next;
      } else {
        depth++;
        out += char + newline();
      }
    } else if (char === '}' || char === ']') {
      depth--;
      out += newline() + char;
    } else if (char === ',') {
      out += `,${newline()}`;
    } else if (char === ':') {
      out += ': ';
    } else if (!/\s/.test(char)) {
      out += char;
    }
  }
  return out;
}
