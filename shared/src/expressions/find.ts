import { type ExpressionSegment, type ExpressionSyntaxError, parseTemplate } from './parse';

/** Where a string sits inside a JSON value: `['body', 'value', 'items', 0]`. */
export type JsonPath = (string | number)[];

export interface LocatedExpression {
  location: JsonPath;
  expression: ExpressionSegment;
}

export interface LocatedSyntaxError {
  location: JsonPath;
  error: ExpressionSyntaxError;
}

/**
 * Every expression in the strings of a JSON value (object keys are not templates), and every string
 * whose expressions do not parse, in document order. Walks with an explicit stack, so deep input
 * cannot overflow the call stack.
 */
export function findExpressions(value: unknown): {
  expressions: LocatedExpression[];
  errors: LocatedSyntaxError[];
} {
  const expressions: LocatedExpression[] = [];
  const errors: LocatedSyntaxError[] = [];
  const pending: { value: unknown; trail: Trail }[] = [{ value, trail: undefined }];

  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    const { value: current, trail } = item;
    if (typeof current === 'string') {
      if (!current.includes('{{')) continue;
      const parsed = parseTemplate(current);
      const location = toJsonPath(trail);
      if (!parsed.ok) {
        errors.push({ location, error: parsed.error });
        continue;
      }
      for (const segment of parsed.segments) {
        if (segment.kind === 'expression') expressions.push({ location, expression: segment });
      }
    } else if (typeof current === 'object' && current !== null) {
      const children: [string | number, unknown][] = Array.isArray(current)
        ? current.map((child: unknown, index) => [index, child])
        : Object.entries(current);
      // Last in, first out: push in reverse so results come out in document order.
      for (const [key, child] of children.reverse())
        pending.push({ value: child, trail: { parent: trail, key } });
    }
  }
  return { expressions, errors };
}

/** A location as a link to its parent, so walking deep input does not copy a path per value. */
type Trail = { parent: Trail; key: string | number } | undefined;

function toJsonPath(trail: Trail): JsonPath {
  const path: JsonPath = [];
  for (let link = trail; link !== undefined; link = link.parent) path.push(link.key);
  return path.reverse();
}
