/**
 * The expression language: `{{ path }}` inside any string of a step config.
 *
 * An expression is a data path and nothing else: a root name followed by `.name`, `[0]`, `["key"]`
 * or `['key']`. There are no operators, calls or literals, so there is nothing to evaluate: the
 * worker only looks values up (see resolve.ts). Anything else is a syntax error at save time.
 *
 * There is no escape for a literal `{{`: a string that needs one cannot be written yet.
 */

/** One step of a path: a property name, or an array index from `[0]`. */
export type PathSegment = string | number;

export interface TextSegment {
  kind: 'text';
  text: string;
}

export interface ExpressionSegment {
  kind: 'expression';
  /** The path as written between the braces, trimmed: `trigger.body.user.id`. */
  source: string;
  path: PathSegment[];
  /** Offset of the opening `{{` in the template. */
  start: number;
  /** Offset just after the closing `}}`. */
  end: number;
}

export type TemplateSegment = TextSegment | ExpressionSegment;

export interface ExpressionSyntaxError {
  message: string;
  /** Offset in the template where the problem is. */
  position: number;
}

export type TemplateParseResult =
  | { ok: true; segments: TemplateSegment[] }
  | { ok: false; error: ExpressionSyntaxError };

type ExpressionParseResult =
  | { ok: true; segment: ExpressionSegment }
  | { ok: false; error: ExpressionSyntaxError };

const NAME_CHAR = /[A-Za-z0-9_$-]/;
const DIGIT = /[0-9]/;

/** Splits a string into literal text and `{{ path }}` expressions, or explains the first syntax error. */
export function parseTemplate(text: string): TemplateParseResult {
  const segments: TemplateSegment[] = [];
  let textStart = 0;
  let open = text.indexOf('{{');
  while (open !== -1) {
    const result = parseExpression(text, open);
    if (!result.ok) return result;
    if (open > textStart) segments.push({ kind: 'text', text: text.slice(textStart, open) });
    segments.push(result.segment);
    textStart = result.segment.end;
    open = text.indexOf('{{', textStart);
  }
  if (textStart < text.length) segments.push({ kind: 'text', text: text.slice(textStart) });
  return { ok: true, segments };
}

function parseExpression(text: string, open: number): ExpressionParseResult {
  const fail = (message: string, position: number): ExpressionParseResult => ({
    ok: false,
    error: { message, position },
  });
  const unterminated = () =>
    fail(`Unterminated expression: the "{{" at position ${open} has no closing "}}"`, open);
  const unexpected = (position: number, expected: string) => {
    if (text.indexOf('}}', position) === -1) return unterminated();
    return fail(
      `Unexpected "${text[position]}" at position ${position}: expected ${expected}. ` +
        'Expressions are data paths such as trigger.body.user.id; operators and calls are not supported',
      position,
    );
  };

  let pos = skipSpaces(text, open + 2);
  if (text.startsWith('}}', pos)) {
    return fail(`Empty expression at position ${open}: write a path such as {{ trigger.body.id }}`, open);
  }
  const pathStart = pos;
  const path: PathSegment[] = [];

  const root = readName(text, pos);
  if (root === '') return unexpected(pos, 'a name such as trigger or steps');
  path.push(root);
  pos += root.length;

  for (;;) {
    const char = text[pos];
    if (char === '.') {
      pos += 1;
      const name = readName(text, pos);
      if (name === '') return unexpected(pos, 'a property name after "."');
      path.push(name);
      pos += name.length;
    } else if (char === '[') {
      pos += 1;
      const opener = text[pos];
      if (opener !== undefined && DIGIT.test(opener)) {
        let digitsEnd = pos;
        while (digitsEnd < text.length && DIGIT.test(text.charAt(digitsEnd))) digitsEnd += 1;
        const digits = text.slice(pos, digitsEnd);
        const index = Number(digits);
        if ((digits.length > 1 && digits.startsWith('0')) || !Number.isSafeInteger(index)) {
          return fail(
            `Invalid array index "${digits}" at position ${pos}: write a whole number such as [0]`,
            pos,
          );
        }
        path.push(index);
        pos = digitsEnd;
      } else if (opener === '"' || opener === "'") {
        const quoted = readQuoted(text, pos);
        if (quoted.kind === 'unterminated') return unterminated();
        if (quoted.kind === 'bad-escape') {
          return fail(
            `Unsupported escape at position ${quoted.position}: inside quotes only \\", \\' and \\\\ are allowed`,
            quoted.position,
          );
        }
        path.push(quoted.value);
        pos = quoted.end;
      } else {
        return unexpected(pos, 'an array index such as [0] or a quoted key such as ["name"]');
      }
      if (text[pos] !== ']') return unexpected(pos, '"]"');
      pos += 1;
    } else {
      break;
    }
  }

  const pathEnd = pos;
  pos = skipSpaces(text, pos);
  if (!text.startsWith('}}', pos)) return unexpected(pos, '"}}", ".", or "["');
  return {
    ok: true,
    segment: { kind: 'expression', source: text.slice(pathStart, pathEnd), path, start: open, end: pos + 2 },
  };
}

function skipSpaces(text: string, pos: number): number {
  let next = pos;
  while (next < text.length && /\s/.test(text.charAt(next))) next += 1;
  return next;
}

function readName(text: string, pos: number): string {
  let end = pos;
  while (end < text.length && NAME_CHAR.test(text.charAt(end))) end += 1;
  return text.slice(pos, end);
}

type Quoted =
  | { kind: 'ok'; value: string; end: number }
  | { kind: 'unterminated' }
  | { kind: 'bad-escape'; position: number };

/** Reads a '…' or "…" key starting at the opening quote; `end` is just after the closing quote. */
function readQuoted(text: string, pos: number): Quoted {
  const quote = text[pos];
  let value = '';
  let next = pos + 1;
  while (next < text.length) {
    const char = text.charAt(next);
    if (char === quote) return { kind: 'ok', value, end: next + 1 };
    if (char === '\\') {
      const escaped = text[next + 1];
      if (escaped === undefined) return { kind: 'unterminated' };
      if (escaped !== '"' && escaped !== "'" && escaped !== '\\')
        return { kind: 'bad-escape', position: next };
      value += escaped;
      next += 2;
    } else {
      value += char;
      next += 1;
    }
  }
  return { kind: 'unterminated' };
}
