import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TextLimitError, toJsonText } from './render';
import {
  ExpressionLimitError,
  type ExpressionScope,
  lookupPath,
  resolveOperand,
  resolveTemplate,
  resolveValue,
} from './resolve';

const scope: ExpressionScope = {
  trigger: {
    method: 'POST',
    query: { page: '2' },
    headers: { 'x-source': 'stripe' },
    body: {
      user: { id: 42, name: 'Ada', plan: 'pro', tags: ['a', 'b'], active: true, manager: null },
      amount: 19.5,
      items: [{ sku: 'x-1' }, { sku: 'x-2' }],
      'first name': 'Ada',
      empty: '',
    },
  },
  steps: {
    notify: { status: 201, headers: {}, body: { id: 'evt_1' }, durationMs: 12 },
    'only-pro': { passed: true },
  },
};

const resolve = (text: string) => resolveTemplate(text, scope);

function objectPrototypeSnapshot() {
  return Object.getOwnPropertyNames(Object.prototype).sort();
}

describe('resolveTemplate', () => {
  it('keeps the type of a value when the string is exactly one expression', () => {
    expect(resolve('{{ trigger.body.user.id }}')).toEqual({ value: 42, missing: [] });
    expect(resolve('{{ trigger.body.amount }}').value).toBe(19.5);
    expect(resolve('{{ trigger.body.user.active }}').value).toBe(true);
    expect(resolve('{{ trigger.body.user.manager }}').value).toBeNull();
    expect(resolve('{{ trigger.body.user.tags }}').value).toEqual(['a', 'b']);
    expect(resolve('{{ steps.notify.body }}').value).toEqual({ id: 'evt_1' });
    expect(resolve('  {{ trigger.body.user.id }}\n').value).toBe(42);
  });

  it('renders values as text inside longer strings', () => {
    expect(resolve('User {{ trigger.body.user.id }} on {{ trigger.body.user.plan }}').value).toBe(
      'User 42 on pro',
    );
    expect(resolve('{{ trigger.body.user.active }}/{{ trigger.body.amount }}').value).toBe('true/19.5');
    expect(resolve('tags={{ trigger.body.user.tags }}').value).toBe('tags=["a","b"]');
    expect(resolve('body: {{ steps.notify.body }}').value).toBe('body: {"id":"evt_1"}');
    expect(resolve('manager: [{{ trigger.body.user.manager }}]').value).toBe('manager: []');
  });

  it('follows indexes, quoted keys and dotted digits', () => {
    expect(resolve('{{ trigger.body.items[1].sku }}').value).toBe('x-2');
    expect(resolve('{{ trigger.body.items.0.sku }}').value).toBe('x-1');
    expect(resolve('{{ trigger.body["first name"] }}').value).toBe('Ada');
    expect(resolve("{{ trigger.body['items'][0]['sku'] }}").value).toBe('x-1');
    expect(resolve('{{ trigger.headers.x-source }}').value).toBe('stripe');
    expect(resolve('{{ steps.only-pro.passed }}').value).toBe(true);
  });

  it('renders a missing path as "" and reports each missing path once', () => {
    expect(resolve('{{ trigger.body.user.email }}')).toEqual({
      value: '',
      missing: ['trigger.body.user.email'],
    });
    expect(
      resolve('to: {{ trigger.body.nope }} and {{ steps.later.body }} and {{ trigger.body.nope }}'),
    ).toEqual({
      value: 'to:  and  and ',
      missing: ['trigger.body.nope', 'steps.later.body'],
    });
  });

  it('tells an empty value from a missing one: only missing paths are reported', () => {
    expect(resolve('{{ trigger.body.empty }}')).toEqual({ value: '', missing: [] });
    expect(resolve('{{ trigger.body.user.manager }}')).toEqual({ value: null, missing: [] });
  });

  it('treats arrays as index-only: no length, no methods, no out-of-range or negative access', () => {
    for (const path of [
      'items.length',
      'items[2]',
      'items.map',
      'items["-1"]',
      'items.01',
      'user.name.length',
    ]) {
      expect(resolve(`{{ trigger.body.${path} }}`).missing, path).toHaveLength(1);
    }
    expect(resolve('{{ trigger.body.items["1"].sku }}').value).toBe('x-2');
  });

  it('knows only the trigger and steps roots', () => {
    for (const root of ['process', 'globalThis', 'constructor', 'this', 'env', 'scope']) {
      expect(resolve(`{{ ${root}.x }}`).missing).toEqual([`${root}.x`]);
    }
  });

  it('never reaches the prototype chain', () => {
    const hostile = [
      'trigger.__proto__',
      'trigger.constructor',
      'trigger.body.constructor.constructor',
      'trigger.body.toString',
      'trigger.body.hasOwnProperty',
      'trigger.body.__proto__.polluted',
      'trigger.body.user.constructor.prototype',
      'steps.__proto__',
      'steps.constructor',
      'steps.notify.body.id.constructor',
      'trigger.body["__proto__"]["polluted"]',
    ];
    for (const path of hostile) {
      expect(resolve(`{{ ${path} }}`), path).toEqual({ value: '', missing: [path] });
    }
  });

  it('leaves a string whose expressions do not parse as it is, without evaluating anything', () => {
    const payload = "{{constructor.constructor('return process')()}}";
    expect(resolve(payload)).toEqual({ value: payload, missing: [] });
    expect(resolve('{{ trigger.body.user.id ').value).toBe('{{ trigger.body.user.id ');
  });

  it('reads own "__proto__" data, as JSON.parse creates it, without touching prototypes', () => {
    const before = objectPrototypeSnapshot();
    const body = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    const jsonScope: ExpressionScope = { trigger: { body }, steps: {} };
    expect(resolveTemplate('{{ trigger.body.__proto__.polluted }}', jsonScope).value).toBe('yes');
    expect(resolveTemplate('{{ trigger.body.polluted }}', jsonScope).missing).toEqual([
      'trigger.body.polluted',
    ]);
    expect(objectPrototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never calls getters in the data', () => {
    let calls = 0;
    const trigger = {
      get body() {
        calls += 1;
        return { id: 1 };
      },
    };
    expect(resolveTemplate('{{ trigger.body.id }}', { trigger, steps: {} }).missing).toEqual([
      'trigger.body.id',
    ]);
    expect(calls).toBe(0);
  });
});

describe('resolveOperand', () => {
  it('resolves a missing exact expression to undefined so conditions can tell it from ""', () => {
    expect(resolveOperand('{{ trigger.body.nope }}', scope)).toEqual({
      value: undefined,
      missing: ['trigger.body.nope'],
    });
    expect(resolveOperand('{{ trigger.body.empty }}', scope)).toEqual({ value: '', missing: [] });
    expect(resolveOperand('pro', scope)).toEqual({ value: 'pro', missing: [] });
    expect(resolveOperand('x{{ trigger.body.nope }}', scope).value).toBe('x');
  });
});

describe('resolveValue', () => {
  const config = {
    method: 'POST',
    url: 'https://api.example.com/users/{{ trigger.body.user.id }}',
    headers: { 'X-Event': '{{ steps.notify.body.id }}' },
    body: {
      type: 'json',
      value: {
        user: '{{ trigger.body.user.id }}',
        tags: ['{{ trigger.body.user.tags }}', 'x'],
        gone: '{{ x.y }}',
      },
    },
    timeoutMs: 10000,
    failOnHttpError: true,
  };

  it('resolves every string, keeps other values and key order, and leaves the input unchanged', () => {
    const copy = JSON.parse(JSON.stringify(config));
    const { value, missing } = resolveValue(config, scope);
    expect(value).toEqual({
      method: 'POST',
      url: 'https://api.example.com/users/42',
      headers: { 'X-Event': 'evt_1' },
      body: { type: 'json', value: { user: 42, tags: [['a', 'b'], 'x'], gone: '' } },
      timeoutMs: 10000,
      failOnHttpError: true,
    });
    expect(Object.keys(value as object)).toEqual(Object.keys(config));
    expect(missing).toEqual(['x.y']);
    expect(config).toEqual(copy);
  });

  it('copies a "__proto__" key as data without changing any prototype', () => {
    const before = objectPrototypeSnapshot();
    const hostile = JSON.parse(
      '{"__proto__": {"polluted": "{{ trigger.body.user.id }}"}, "a": [{"__proto__": 1}]}',
    );
    const { value } = resolveValue(hostile, scope);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({ polluted: 42 });
    expect(JSON.stringify(value)).toBe('{"__proto__":{"polluted":42},"a":[{"__proto__":1}]}');
    expect(objectPrototypeSnapshot()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('handles deep nesting and large values without recursion', () => {
    let deep: unknown = '{{ trigger.body.user.id }}';
    for (let depth = 0; depth < 100_000; depth += 1) deep = depth % 2 ? [deep] : { next: deep };
    const { value } = resolveValue(deep, scope);
    let innermost = value;
    while (typeof innermost === 'object' && innermost !== null) {
      innermost = Array.isArray(innermost) ? innermost[0] : (innermost as { next: unknown }).next;
    }
    expect(innermost).toBe(42);

    const wide = Array.from({ length: 100_000 }, (_, index) => `#${index} {{ trigger.body.user.name }}`);
    const resolved = resolveValue(wide, scope).value as string[];
    expect(resolved[99_999]).toBe('#99999 Ada');
  });
});

describe('bounded rendering', () => {
  const big = { trigger: { body: { blob: 'x'.repeat(1024 * 1024) } }, steps: {} };

  it('refuses to copy a large value into text thousands of times', () => {
    const twenty = Array.from({ length: 20 }, () => '{{ trigger.body }}').join(' ');
    expect(() => resolveValue({ a: twenty }, big)).toThrow(ExpressionLimitError);
    expect(() => resolveTemplate(twenty, big)).toThrow(/render more than 16,777,216 characters of text/);
    // Whole-field expressions share the value instead: no copy, no limit.
    const shared = resolveValue(
      Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, '{{ trigger.body }}'])),
      big,
    );
    expect(Object.keys(shared.value as object)).toHaveLength(100);
  });

  it('ends on a value that contains itself instead of rendering forever', () => {
    const body: Record<string, unknown> = { a: 1 };
    body.self = body;
    expect(() => resolveTemplate('x {{ trigger.body }}', { trigger: { body }, steps: {} })).toThrow(
      ExpressionLimitError,
    );
    expect(() => toJsonText(body, 1000)).toThrow(TextLimitError);
    // It renders up to the whole text budget before it stops: about 3 s alone, more than vitest's
    // default 5 s when the suite shares two cores with the server tests.
  }, 30_000);
});

describe('lookupPath', () => {
  it('finds present values and reports absent ones', () => {
    expect(lookupPath(scope, ['trigger', 'body', 'items', 0, 'sku'])).toEqual({ found: true, value: 'x-1' });
    expect(lookupPath(scope, ['trigger', 'body', 'user', 'manager'])).toEqual({ found: true, value: null });
    expect(lookupPath(scope, ['trigger', 'body', 'items', 'sku'])).toEqual({ found: false });
    expect(lookupPath(scope, [])).toEqual({ found: false });
  });

  it('walks very long paths through very deep data', () => {
    let body: unknown = 'bottom';
    for (let depth = 0; depth < 50_000; depth += 1) body = { a: body };
    const path = ['trigger', 'body', ...Array.from({ length: 50_000 }, () => 'a')];
    expect(lookupPath({ trigger: { body }, steps: {} }, path)).toEqual({ found: true, value: 'bottom' });
  });
});

describe('toJsonText', () => {
  it('matches JSON.stringify on JSON values', () => {
    fc.assert(fc.property(fc.jsonValue(), (value) => toJsonText(value) === JSON.stringify(value)));
  });

  it('follows JSON.stringify for values JSON cannot hold', () => {
    const value = { a: undefined, b: [undefined, () => 1, Number.NaN], c: Symbol('x'), d: -0 };
    expect(toJsonText(value)).toBe(JSON.stringify(value));
  });

  it('renders a deeply nested value in text', () => {
    let deep: unknown = 1;
    for (let depth = 0; depth < 200_000; depth += 1) deep = [deep];
    const text = resolveTemplate('deep: {{ trigger.body }}', { trigger: { body: deep }, steps: {} }).value;
    expect(text).toBe(`deep: ${'['.repeat(200_000)}1${']'.repeat(200_000)}`);
  });
});
