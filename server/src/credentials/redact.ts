/**
 * Secret values out of everything a step records. A redactor knows the secrets of one execution
 * (its credentials, the secret-looking headers typed by hand) in every form they may come back in —
 * as typed, URL-encoded, JSON-escaped, base64 — and replaces each by `[redacted]` in the strings
 * and keys of a value: a target echoing the token in its body or a header, an error message that
 * repeats the request, a log line.
 */
import { isRecord } from '@automateos/shared';

export const REDACTED = '[redacted]';

/**
 * Shorter values are not searched for: replacing every "abc" of a response would wreck it and hide
 * little. (Such a value is still never in the step's input: the step sends it, it does not log it.)
 */
export const MIN_SECRET_LENGTH = 4;

/** The forms a secret may come back in. */
export function encodedForms(secret: string): string[] {
  const base64 = Buffer.from(secret, 'utf8').toString('base64');
  return [
    secret,
    encodeURIComponent(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    JSON.stringify(secret).slice(1, -1),
    base64,
    base64.replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
  ];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Pending =
  | { kind: 'array'; source: readonly unknown[]; target: unknown[] }
  | { kind: 'record'; source: Record<string, unknown>; target: Record<string, unknown> };

export class Redactor {
  private readonly forms = new Set<string>();
  private pattern: RegExp | undefined;

  /** Adds secrets (each in all its encoded forms). */
  add(secrets: Iterable<string>): this {
    let added = false;
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      for (const form of encodedForms(secret)) {
        if (form.length < MIN_SECRET_LENGTH || this.forms.has(form)) continue;
        this.forms.add(form);
        added = true;
      }
    }
    if (added) {
      // Longest first, so a secret's base64 is not cut by a shorter form inside it.
      const alternatives = [...this.forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
      this.pattern = new RegExp(alternatives.join('|'), 'g');
    }
    return this;
  }

  get empty(): boolean {
    return this.pattern === undefined;
  }

  text(text: string): string {
    return this.pattern ? text.replace(this.pattern, REDACTED) : text;
  }

  /**
   * The value with every string and key redacted: a copy when anything was, the value itself when
   * nothing was. Walks with an explicit stack: step data may be nested hundreds of levels deep.
   */
  value<T>(value: T): T {
    if (!this.pattern) return value;
    const { copy, changed } = this.copy(value);
    // The copy has the value's shape, strings and keys aside.
    return changed ? (copy as T) : value;
  }

  private copy(root: unknown): { copy: unknown; changed: boolean } {
    const pending: Pending[] = [];
    let changed = false;
    const text = (value: string) => {
      const redacted = this.text(value);
      if (redacted !== value) changed = true;
      return redacted;
    };
    const visit = (value: unknown): unknown => {
      if (typeof value === 'string') return text(value);
      if (Array.isArray(value)) {
        const target: unknown[] = [];
        pending.push({ kind: 'array', source: value, target });
        return target;
      }
      if (isRecord(value)) {
        const target: Record<string, unknown> = {};
        pending.push({ kind: 'record', source: value, target });
        return target;
      }
      return value;
    };
    const copy = visit(root);
    for (let item = pending.pop(); item !== undefined; item = pending.pop()) {
      if (item.kind === 'array') {
        for (const child of item.source) item.target.push(visit(child));
        continue;
      }
      for (const [key, child] of Object.entries(item.source)) {
        // Defined, not assigned: a "__proto__" key of the data stays a key.
        Object.defineProperty(item.target, text(key), {
          value: visit(child),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return { copy, changed };
  }
}
