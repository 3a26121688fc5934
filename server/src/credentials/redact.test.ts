import { describe, expect, it } from 'vitest';
import { encodedForms, REDACTED, Redactor } from './redact';

const token = 'sk_live_canary+/=&"é 42';

describe('Redactor', () => {
  it('finds a secret in every form it may come back in', () => {
    const redactor = new Redactor().add([token]);
    for (const form of encodedForms(token)) {
      expect(redactor.text(`before ${form} after`), form).toBe(`before ${REDACTED} after`);
    }
    expect(redactor.text(`Authorization: Bearer ${token}`)).toBe(`Authorization: Bearer ${REDACTED}`);
  });

  it('cleans strings and keys at any depth, copying only when something changed', () => {
    const redactor = new Redactor().add([token]);
    let deep: unknown = { echo: token };
    for (let i = 0; i < 1000; i += 1) deep = [deep];
    const value = { headers: { 'x-echo': `Bearer ${token}` }, [token]: 1, list: [1, null, true, { deep }] };
    const redacted = redactor.value(value);
    expect(JSON.stringify(redacted)).not.toContain('canary');
    expect(redacted.headers['x-echo']).toBe(`Bearer ${REDACTED}`);
    expect(Object.keys(redacted)).toContain(REDACTED);
    expect(value.headers['x-echo']).toContain(token);
    const clean = { a: 'nothing here', b: [1, 2] };
    expect(redactor.value(clean)).toBe(clean);
  });

  it('keeps a "__proto__" key of the data a key', () => {
    const redactor = new Redactor().add([token]);
    const value = JSON.parse(`{"__proto__": {"polluted": "${'x'}"}, "t": "${token.replace(/"/g, '\\"')}"}`);
    const redacted = redactor.value(value) as Record<string, unknown>;
    expect(Object.hasOwn(redacted, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(redacted.t).toBe(REDACTED);
  });

  it('leaves values too short to be secrets alone, and does nothing while empty', () => {
    const redactor = new Redactor().add(['abc', '']);
    expect(redactor.empty).toBe(true);
    expect(redactor.text('abc abc')).toBe('abc abc');
  });
});
