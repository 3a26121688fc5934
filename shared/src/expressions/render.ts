/**
 * JSON text for a value, like JSON.stringify without indentation, but with an explicit stack so
 * that a deeply nested webhook body cannot overflow the call stack while being rendered.
 * Throws TextLimitError past `maxLength` characters. Input is JSON data: `toJSON` methods are not called, and values JSON cannot hold are dropped from
 * objects and become null in arrays, as with JSON.stringify.
 */
export function toJsonText(value: unknown, maxLength = Number.POSITIVE_INFINITY): string {
  const parts: string[] = [];
  let length = 0;
  const emit = (text: string) => {
    length += text.length;
    // Also what ends a value that contains itself, which would otherwise render forever.
    if (length > maxLength) throw new TextLimitError(maxLength);
    parts.push(text);
  };
  // A value still to render, or punctuation to emit as it is.
  type Item = { value: unknown } | { raw: string };
  const pending: Item[] = [{ value }];

  for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
    if ('raw' in item) {
      emit(item.raw);
      continue;
    }
    const current = item.value;
    if (typeof current !== 'object' || current === null) {
      emit(primitiveText(current));
      continue;
    }
    const items: Item[] = [];
    if (Array.isArray(current)) {
      items.push({ raw: '[' });
      for (let index = 0; index < current.length; index += 1) {
        const element: unknown = current[index];
        if (index > 0) items.push({ raw: ',' });
        items.push({ value: isRepresentable(element) ? element : null });
      }
      items.push({ raw: ']' });
    } else {
      items.push({ raw: '{' });
      const entries = Object.entries(current).filter(([, property]) => isRepresentable(property));
      entries.forEach(([key, property], index) => {
        if (index > 0) items.push({ raw: ',' });
        items.push({ raw: `${JSON.stringify(key)}:` }, { value: property });
      });
      items.push({ raw: '}' });
    }
    // The stack is last-in first-out: push in reverse so the items come out in order.
    for (const next of items.reverse()) pending.push(next);
  }
  return parts.join('');
}

function isRepresentable(value: unknown): boolean {
  return value !== undefined && typeof value !== 'function' && typeof value !== 'symbol';
}

function primitiveText(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return 'null';
}

/** Rendering would produce more text than allowed. */
export class TextLimitError extends Error {
  override readonly name = 'TextLimitError';
  constructor(readonly maxLength: number) {
    super(`The text would be longer than ${maxLength.toLocaleString('en')} characters`);
  }
}
