import { describe, expect, it } from 'vitest';
import { emptyDefinition, workflowDefinitionSchema } from './definition';
import { exampleDefinition } from './example';
import { filterOperatorList, filterOutputSchema } from './filter';
import { httpOutputSchema } from './http';
import { formatIssues } from './issues';
import { describedFields } from './node-spec';
import { isStepType, stepSchema, stepSpecs, stepTypes } from './steps';
import { isTriggerType, triggerFieldsOf, triggerSchema, triggerSpecs, triggerTypes } from './trigger';

/** DESIGN.md's example, verbatim. */
const designExample = `{
  "schemaVersion": 1,
  "trigger": { "type": "webhook", "config": { "method": "POST" } },
  "steps": [
    {
      "id": "notify",
      "name": "Notify billing",
      "type": "http",
      "config": {
        "method": "POST",
        "url": "https://api.example.com/events",
        "headers": { "X-Source": "automateos" },
        "query": {},
        "body": { "type": "json", "value": { "user": "{{ trigger.body.user.id }}", "amount": "{{ trigger.body.amount }}" } },
        "timeoutMs": 10000
      }
    },
    {
      "id": "only-pro",
      "name": "Only pro users",
      "type": "filter",
      "config": {
        "match": "all",
        "conditions": [ { "left": "{{ trigger.body.user.plan }}", "op": "equals", "right": "pro" } ]
      }
    }
  ]
}`;

type Json = Record<string, unknown>;

const httpStep = (config: Json, extra: Json = {}) => ({
  id: 'call',
  name: 'Call',
  type: 'http',
  config,
  ...extra,
});
const filterStep = (config: Json, extra: Json = {}) => ({
  id: 'check',
  name: 'Check',
  type: 'filter',
  config,
  ...extra,
});
const definition = (...steps: unknown[]) => ({ ...emptyDefinition(), steps });
const condition = (fields: Json) =>
  filterStep({ conditions: [{ left: '{{ trigger.body.plan }}', ...fields }] });

/** The issues of an invalid definition, as the editor shows them. */
function issuesOf(input: unknown) {
  const result = workflowDefinitionSchema.safeParse(input);
  if (result.success) throw new Error('expected the definition to be invalid');
  return formatIssues(result.error);
}

/** Asserts exactly one issue, at `path`, with a message matching `message`. */
function expectIssue(input: unknown, path: string, message: string | RegExp) {
  const issues = issuesOf(input);
  expect(issues, JSON.stringify(issues)).toHaveLength(1);
  expect(issues[0]?.path).toBe(path);
  if (typeof message === 'string') expect(issues[0]?.message).toBe(message);
  else expect(issues[0]?.message).toMatch(message);
}

describe('workflowDefinitionSchema: valid definitions', () => {
  it("parses DESIGN.md's example and applies defaults", () => {
    const parsed = workflowDefinitionSchema.parse(JSON.parse(designExample));
    expect(parsed.steps[0]).toEqual({
      id: 'notify',
      name: 'Notify billing',
      type: 'http',
      config: {
        method: 'POST',
        url: 'https://api.example.com/events',
        headers: { 'X-Source': 'automateos' },
        query: {},
        body: {
          type: 'json',
          value: { user: '{{ trigger.body.user.id }}', amount: '{{ trigger.body.amount }}' },
        },
        auth: { type: 'none' },
        timeoutMs: 10000,
        retry: { attempts: 0, backoff: 'exponential', delayMs: 1000 },
        failOnHttpError: true,
      },
    });
    expect(parsed.steps[1]).toEqual({
      id: 'only-pro',
      name: 'Only pro users',
      type: 'filter',
      config: {
        match: 'all',
        conditions: [
          { left: '{{ trigger.body.user.plan }}', op: 'equals', right: 'pro', caseSensitive: true },
        ],
      },
    });
  });

  it("exampleDefinition() is DESIGN.md's example", () => {
    expect(exampleDefinition()).toEqual(JSON.parse(designExample));
  });

  it('fills every default of a minimal definition', () => {
    const parsed = workflowDefinitionSchema.parse({
      schemaVersion: 1,
      trigger: { type: 'webhook' },
      steps: [
        httpStep({ url: 'https://api.example.com', retry: { attempts: 3 } }),
        filterStep({ conditions: [{ left: '{{ steps.call.status }}', op: 'exists' }] }),
      ],
    });
    expect(parsed.trigger).toEqual({ type: 'webhook', config: { method: 'POST' } });
    expect(parsed.steps[0]?.config).toEqual({
      method: 'GET',
      url: 'https://api.example.com',
      headers: {},
      query: {},
      body: { type: 'none' },
      auth: { type: 'none' },
      timeoutMs: 10000,
      retry: { attempts: 3, backoff: 'exponential', delayMs: 1000 },
      failOnHttpError: true,
    });
    expect(parsed.steps[1]?.config).toEqual({
      match: 'all',
      conditions: [{ left: '{{ steps.call.status }}', op: 'exists', caseSensitive: true }],
    });
  });

  it('trims names and URLs', () => {
    const parsed = workflowDefinitionSchema.parse(
      definition(httpStep({ url: '  https://x.io  ' }, { name: ' Call ' })),
    );
    expect(parsed.steps[0]).toMatchObject({ name: 'Call', config: { url: 'https://x.io' } });
  });

  it('accepts every body type, trigger method and operator', () => {
    for (const body of [
      { type: 'none' },
      { type: 'json', value: [1, 'two', { three: null }] },
      { type: 'json', value: null },
      { type: 'text', value: 'Hello {{ trigger.body.name }}' },
      { type: 'form', value: { a: '1', b: '{{ trigger.query.b }}' } },
    ]) {
      expect(
        workflowDefinitionSchema.safeParse(
          definition(httpStep({ method: 'POST', url: 'https://x.io', body })),
        ).success,
      ).toBe(true);
    }
    for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'ANY']) {
      const parsed = workflowDefinitionSchema.parse({
        ...emptyDefinition(),
        trigger: { type: 'webhook', config: { method } },
      });
      expect(parsed.trigger).toEqual({ type: 'webhook', config: { method } });
    }
    for (const { op, unary } of filterOperatorList) {
      const right = op === 'matchesRegex' ? '^pro$' : 'pro';
      expect(
        workflowDefinitionSchema.safeParse(definition(condition(unary ? { op } : { op, right }))).success,
        op,
      ).toBe(true);
    }
  });

  it('accepts URLs whose scheme or host comes from an expression, and expressions of earlier steps', () => {
    const parsed = workflowDefinitionSchema.safeParse(
      definition(
        httpStep({ url: '{{ trigger.body.callbackUrl }}' }, { id: 'a' }),
        httpStep({ url: '{{ steps.a.body.next }}/page/2' }, { id: 'b' }),
        httpStep({ url: 'https://{{ trigger.query.host }}/x' }, { id: 'c' }),
        condition({ op: 'matchesRegex', right: '^{{ steps.c.body.prefix }}' }),
      ),
    );
    expect(parsed.success).toBe(true);
  });

  it('accepts an empty workflow', () => {
    expect(workflowDefinitionSchema.parse(emptyDefinition())).toEqual(emptyDefinition());
  });
});

describe('workflowDefinitionSchema: one rule at a time', () => {
  it('requires schemaVersion 1', () => {
    expectIssue(
      { ...emptyDefinition(), schemaVersion: 2 },
      'schemaVersion',
      'schemaVersion must be 1: this version of AutomateOS reads version 1 workflow definitions',
    );
  });

  it('rejects unknown fields, naming them and the allowed ones', () => {
    expectIssue(
      { ...emptyDefinition(), name: 'x' },
      'name',
      'Unknown field "name": allowed fields are schemaVersion, trigger, steps',
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io', timeout: 5 })),
      'steps[0].config.timeout',
      'Unknown field "timeout": allowed fields are method, url, headers, query, body, auth, timeoutMs, retry, failOnHttpError',
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io', a: 1, b: 2 })),
      'steps[0].config',
      /^Unknown fields "a", "b": allowed fields are/,
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io' }, { note: 'hi' })),
      'steps[0].note',
      /^Unknown field "note"/,
    );
    expectIssue(
      definition(condition({ op: 'exists', negate: true })),
      'steps[0].config.conditions[0].negate',
      /^Unknown field/,
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io', retry: { attempts: 1, jitter: true } })),
      'steps[0].config.retry.jitter',
      /^Unknown field/,
    );
  });

  it('rejects unknown trigger types and methods', () => {
    expectIssue(
      { ...emptyDefinition(), trigger: { type: 'cron' } },
      'trigger.type',
      'Unknown trigger type "cron": use one of webhook, schedule',
    );
    expectIssue(
      { ...emptyDefinition(), trigger: { type: 'webhook', config: { method: 'OPTIONS' } } },
      'trigger.config.method',
      'Webhook method must be one of GET, POST, PUT, PATCH, DELETE, ANY',
    );
  });

  it("refuses a webhook answer's header value HTTP cannot send (it would fail only when answering)", () => {
    const answering = (value: string) => ({
      ...emptyDefinition(),
      trigger: {
        type: 'webhook',
        config: { method: 'POST', response: { mode: 'whenFinished', headers: { 'X-Price': value } } },
      },
    });
    expectIssue(
      answering('12 €'),
      'trigger.config.response.headers["X-Price"]',
      'Header values can hold tab, printable ASCII and Latin-1 characters only',
    );
    expect(workflowDefinitionSchema.safeParse(answering('12 EUR, café')).success).toBe(true);
  });

  it('rejects unknown and missing step types, listing the known ones', () => {
    expectIssue(
      definition({ id: 'a', name: 'A', type: 'sms', config: {} }),
      'steps[0].type',
      'Unknown step type "sms": use one of http, filter, notion, slack, email',
    );
    expectIssue(
      definition({ id: 'a', name: 'A', config: {} }),
      'steps[0].type',
      'Step type is required: use one of http, filter, notion, slack, email',
    );
    expectIssue(definition('http'), 'steps[0]', /expected object/);
  });

  it.each(['Notify', 'with space', 'under_score', '', 'a'.repeat(65), 'émoji'])(
    'rejects step id %j',
    (id) => {
      expectIssue(
        definition(httpStep({ url: 'https://x.io' }, { id })),
        'steps[0].id',
        'Step id must be lowercase letters, digits or dashes (1–64)',
      );
    },
  );

  it('accepts step ids at the limits', () => {
    for (const id of ['a', '0', '-', 'a'.repeat(64), 'send-2-slack']) {
      expect(
        workflowDefinitionSchema.safeParse(definition(httpStep({ url: 'https://x.io' }, { id }))).success,
      ).toBe(true);
    }
  });

  it('requires a step name of 1 to 100 characters', () => {
    expectIssue(
      definition(httpStep({ url: 'https://x.io' }, { name: '   ' })),
      'steps[0].name',
      'Step name is required',
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io' }, { name: 'n'.repeat(101) })),
      'steps[0].name',
      'Step name must be at most 100 characters',
    );
  });

  it('rejects duplicate step ids at the later step', () => {
    expectIssue(
      definition(
        httpStep({ url: 'https://x.io' }),
        filterStep({ conditions: [{ left: 'x', op: 'exists' }] }, { id: 'call' }),
      ),
      'steps[1].id',
      'Step id "call" is already used by step 1: step ids must be unique',
    );
  });

  it('allows at most 50 steps', () => {
    const steps = Array.from({ length: 51 }, (_, index) =>
      httpStep({ url: 'https://x.io' }, { id: `s${index}` }),
    );
    expectIssue(definition(...steps), 'steps', 'A workflow can have at most 50 steps');
  });
});

describe('http step config', () => {
  const url = 'https://x.io';

  it('requires a URL', () => {
    expectIssue(definition(httpStep({})), 'steps[0].config.url', 'URL is required');
    expectIssue(definition(httpStep({ url: '  ' })), 'steps[0].config.url', 'URL is required');
  });

  it.each([
    'file:///etc/passwd',
    'gopher://localhost:70/x',
    'data:text/plain,hi',
    'ftp://x.io',
    'javascript:alert(1)',
  ])('rejects the URL %s by its scheme', (bad) => {
    const scheme = bad.slice(0, bad.indexOf(':') + 1);
    expectIssue(
      definition(httpStep({ url: bad })),
      'steps[0].config.url',
      `URL must start with http:// or https://; "${scheme}" URLs are not allowed`,
    );
  });

  it('rejects URLs without a scheme or host, with spaces, or with a scheme before an expression', () => {
    expectIssue(
      definition(httpStep({ url: 'api.example.com/x' })),
      'steps[0].config.url',
      'URL must start with http:// or https:// (e.g. https://api.example.com/events)',
    );
    expectIssue(definition(httpStep({ url: 'https://' })), 'steps[0].config.url', /^URL needs a host/);
    expectIssue(
      definition(httpStep({ url: 'https://x.io/a b' })),
      'steps[0].config.url',
      /^URL cannot contain spaces/,
    );
    expectIssue(
      definition(httpStep({ url: 'file://{{ trigger.body.path }}' })),
      'steps[0].config.url',
      /"file:" URLs are not allowed/,
    );
  });

  it('checks the host and port where they are written out, as the step would when it runs', () => {
    const problems: [string, RegExp][] = [
      ['https://[::1', /the IPv6 address "\[::1" has no closing "\]"/],
      ['http://127.0.0.1:99999/x', /the port must be a number from 0 to 65535, not "99999"/],
      ['http://example.com:80a/x', /not "80a"/],
      ['https://[1::2::3]/x', /"\[1::2::3\]" is not an IPv6 address/],
      ['https://[::1]x/', /unexpected "x" after "\]"/],
      ['https://ex<ample.com/{{ trigger.body.id }}', /"<" cannot be part of a host name/],
      ['https://user:pw@:8080/x', /^URL needs a host/],
    ];
    for (const [bad, message] of problems) {
      expectIssue(definition(httpStep({ url: bad })), 'steps[0].config.url', message);
    }
    for (const good of [
      'https://[::1]:8080/x',
      'http://[::ffff:127.0.0.1]/',
      'https://user:pw@api.example.com:443/events?x=1',
      'http://127.0.0.1:65535',
      'https://api.example.com:/x',
      // The host or port comes from an expression: checked when the step runs.
      'https://{{ trigger.body.host }}/x',
      'https://api.example.com:{{ trigger.body.port }}/x',
    ]) {
      expect(workflowDefinitionSchema.safeParse(definition(httpStep({ url: good }))).success, good).toBe(
        true,
      );
    }
  });

  it('rejects an unknown method', () => {
    expectIssue(
      definition(httpStep({ url, method: 'OPTIONS' })),
      'steps[0].config.method',
      'Method must be one of GET, POST, PUT, PATCH, DELETE, HEAD',
    );
  });

  it('checks header names and values', () => {
    expectIssue(
      definition(httpStep({ url, headers: { 'X Source': 'a' } })),
      'steps[0].config.headers["X Source"]',
      /^"X Source" is not a valid header name/,
    );
    expectIssue(
      definition(httpStep({ url, headers: { 'X-Source': 'a\r\nX-Injected: 1' } })),
      'steps[0].config.headers["X-Source"]',
      'Header values cannot contain line breaks',
    );
    expectIssue(
      definition(httpStep({ url, headers: { 'X-Count': 1 } })),
      'steps[0].config.headers["X-Count"]',
      /expected string/,
    );
  });

  it('requires query values to be strings', () => {
    expectIssue(
      definition(httpStep({ url, query: { page: 2 } })),
      'steps[0].config.query.page',
      /expected string/,
    );
  });

  it('checks the body by its type', () => {
    const post = (body: unknown) => definition(httpStep({ url, method: 'POST', body }));
    expectIssue(
      post({ type: 'xml', value: '<a/>' }),
      'steps[0].config.body.type',
      'Unknown body type "xml": use one of none, json, text, form',
    );
    expectIssue(
      post({ type: 'json' }),
      'steps[0].config.body.value',
      'Must be JSON: an object, array, string, finite number, true, false or null',
    );
    expectIssue(
      post({ type: 'text', value: 3 }),
      'steps[0].config.body.value',
      'Text body value must be a string',
    );
    expectIssue(
      post({ type: 'form', value: { a: true } }),
      'steps[0].config.body.value.a',
      /expected string/,
    );
    expectIssue(post({ type: 'none', value: 'x' }), 'steps[0].config.body.value', /^Unknown field "value"/);
  });

  it('rejects a body on GET and HEAD', () => {
    expectIssue(
      definition(httpStep({ url, body: { type: 'text', value: 'x' } })),
      'steps[0].config.body',
      'GET requests cannot have a body: choose POST, PUT, PATCH or DELETE, or set the body type to none',
    );
  });

  it.each([0, 60_001, 1.5, '100'])('rejects timeoutMs %j', (timeoutMs) => {
    expectIssue(definition(httpStep({ url, timeoutMs })), 'steps[0].config.timeoutMs', /^Timeout must be/);
  });

  it('checks the retry policy', () => {
    expectIssue(
      definition(httpStep({ url, retry: { attempts: 11 } })),
      'steps[0].config.retry.attempts',
      'Retry attempts must be between 0 and 10',
    );
    expectIssue(
      definition(httpStep({ url, retry: { backoff: 'linear' } })),
      'steps[0].config.retry.backoff',
      'Backoff must be one of fixed, exponential',
    );
    expectIssue(
      definition(httpStep({ url, retry: { delayMs: 60_001 } })),
      'steps[0].config.retry.delayMs',
      'Retry delay must be at most 60000 ms',
    );
    expectIssue(
      definition(httpStep({ url, retry: { delayMs: -1 } })),
      'steps[0].config.retry.delayMs',
      /expected number to be >=0/,
    );
  });

  it('requires failOnHttpError to be a boolean', () => {
    expectIssue(
      definition(httpStep({ url, failOnHttpError: 'yes' })),
      'steps[0].config.failOnHttpError',
      /expected boolean/,
    );
  });
});

describe('filter step config', () => {
  it('checks match and the number of conditions', () => {
    expectIssue(
      definition(filterStep({ match: 'some', conditions: [{ left: 'x', op: 'exists' }] })),
      'steps[0].config.match',
      'Match must be "all" or "any"',
    );
    expectIssue(
      definition(filterStep({ conditions: [] })),
      'steps[0].config.conditions',
      'Add at least one condition',
    );
    const many = Array.from({ length: 51 }, () => ({ left: 'x', op: 'exists' }));
    expectIssue(
      definition(filterStep({ conditions: many })),
      'steps[0].config.conditions',
      'A filter can have at most 50 conditions',
    );
  });

  it('checks each condition', () => {
    expectIssue(
      definition(condition({ op: 'like', right: 'x' })),
      'steps[0].config.conditions[0].op',
      /^Operator must be one of equals, notEquals/,
    );
    expectIssue(
      definition(filterStep({ conditions: [{ left: '', op: 'exists' }] })),
      'steps[0].config.conditions[0].left',
      'Choose the value to test, e.g. {{ trigger.body.plan }}',
    );
    expectIssue(
      definition(condition({ op: 'exists', caseSensitive: 'no' })),
      'steps[0].config.conditions[0].caseSensitive',
      /expected boolean/,
    );
  });

  it('requires right for binary operators and rejects it for unary ones', () => {
    expectIssue(
      definition(condition({ op: 'equals' })),
      'steps[0].config.conditions[0].right',
      '"equals" needs a right-hand value to compare with',
    );
    expectIssue(
      definition(condition({ op: 'isEmpty', right: '' })),
      'steps[0].config.conditions[0].right',
      '"isEmpty" takes no right-hand value: remove "right"',
    );
    expect(
      workflowDefinitionSchema.safeParse(definition(condition({ op: 'equals', right: '' }))).success,
    ).toBe(true);
  });

  it('requires matchesRegex patterns to compile', () => {
    expectIssue(
      definition(condition({ op: 'matchesRegex', right: '(unclosed' })),
      'steps[0].config.conditions[0].right',
      'Not a valid regular expression: missing closing ): `(unclosed`',
    );
    // What RE2 lacks gets a message that says so, not "invalid escape".
    expectIssue(
      definition(condition({ op: 'matchesRegex', right: '(a)\\1' })),
      'steps[0].config.conditions[0].right',
      /^Backreferences such as \\1 or \\k<name> are not supported: matchesRegex uses RE2 syntax/,
    );
    expectIssue(
      definition(condition({ op: 'matchesRegex', right: 'a(?!b)' })),
      'steps[0].config.conditions[0].right',
      /^Lookahead and lookbehind .* are not supported/,
    );
    expectIssue(
      definition(condition({ op: 'matchesRegex', right: '[\\s\\S]{0,999}[\\s\\S]{0,999}x' })),
      'steps[0].config.conditions[0].right',
      /^The pattern is too complex: it compiles to \d+ instructions, the limit is 2000/,
    );
    expectIssue(
      definition(condition({ op: 'matchesRegex', right: '/^a/x' })),
      'steps[0].config.conditions[0].right',
      'Unknown regex flag "x": allowed flags are i, m, s, u, v, d',
    );
    expectIssue(
      definition(condition({ op: 'matchesRegex', right: 'a'.repeat(501) })),
      'steps[0].config.conditions[0].right',
      'The pattern is 501 characters long; the limit is 500',
    );
    expect(
      workflowDefinitionSchema.safeParse(
        definition(condition({ op: 'matchesRegex', right: '/^ord_\\d+$/gi' })),
      ).success,
    ).toBe(true);
  });
});

describe('expressions in step configs', () => {
  it('reports syntax errors at the field that holds them', () => {
    expectIssue(
      definition(httpStep({ url: 'https://x.io/{{ trigger.body.id' })),
      'steps[0].config.url',
      'Unterminated expression: the "{{" at position 13 has no closing "}}"',
    );
    expectIssue(
      definition(
        httpStep({
          url: 'https://x.io',
          method: 'POST',
          body: { type: 'json', value: { user: { id: '{{ }}' } } },
        }),
      ),
      'steps[0].config.body.value.user.id',
      /^Empty expression/,
    );
    expectIssue(
      definition(
        httpStep({ url: 'https://x.io', headers: { 'X-Id': "{{ constructor.constructor('x')() }}" } }),
      ),
      'steps[0].config.headers["X-Id"]',
      /operators and calls are not supported$/,
    );
  });

  it('only knows the trigger and steps roots', () => {
    expectIssue(
      definition(condition({ left: '{{ env.SECRET }}', op: 'exists' })),
      'steps[0].config.conditions[0].left',
      'Unknown expression root "env": expressions start with trigger or steps, e.g. {{ trigger.body.id }}',
    );
  });

  it('only knows the fields of the trigger', () => {
    expectIssue(
      definition(condition({ left: '{{ trigger.cookies.session }}', op: 'exists' })),
      'steps[0].config.conditions[0].left',
      'trigger.cookies does not exist: use trigger.body, trigger.query, trigger.headers, trigger.method',
    );
    expectIssue(
      definition(condition({ left: '{{ trigger }}', op: 'exists' })),
      'steps[0].config.conditions[0].left',
      'Use a field of the trigger: trigger.body, trigger.query, trigger.headers, trigger.method',
    );
    expectIssue(
      definition(condition({ left: '{{ trigger[0] }}', op: 'exists' })),
      'steps[0].config.conditions[0].left',
      /^trigger.0 does not exist/,
    );
  });

  it('checks trigger fields against the trigger type, and only the type for one it does not know', () => {
    const unknownTrigger = {
      ...definition(condition({ left: '{{ trigger.firedAt }}', op: 'exists' })),
      trigger: { type: 'cron', config: {} },
    };
    const result = workflowDefinitionSchema.safeParse(unknownTrigger);
    expect(result.success).toBe(false);
    expect(formatIssues(result.error ?? { issues: [] })).toEqual([
      { path: 'trigger.type', message: 'Unknown trigger type "cron": use one of webhook, schedule' },
    ]);
  });

  it('refuses trigger.body in a schedule workflow when it is saved, and offers the schedule fields', () => {
    const schedule = { type: 'schedule', config: { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin' } };
    expectIssue(
      { ...definition(condition({ left: '{{ trigger.body.plan }}', op: 'exists' })), trigger: schedule },
      'steps[0].config.conditions[0].left',
      'trigger.body does not exist: use trigger.scheduledFor, trigger.firedAt, trigger.timezone',
    );
    const parsed = workflowDefinitionSchema.parse({
      ...definition(
        httpStep({
          url: 'https://x.io/report',
          query: { slot: '{{ trigger.scheduledFor }}', tz: '{{ trigger.timezone }}' },
        }),
      ),
      trigger: schedule,
    });
    expect(parsed.trigger).toEqual({ ...schedule, config: { ...schedule.config, missed: 'runOnce' } });
  });

  it('only lets a step use the steps above it', () => {
    const later = definition(
      httpStep({ url: 'https://x.io/{{ steps.check.passed }}' }, { id: 'call' }),
      condition({ op: 'exists' }),
    );
    expectIssue(
      later,
      'steps[0].config.url',
      'steps.check is not an earlier step: expressions can only use steps above this one',
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io/{{ steps.call.status }}' })),
      'steps[0].config.url',
      'steps.call is not an earlier step: expressions can only use steps above this one',
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io/{{ steps.ghost.status }}' })),
      'steps[0].config.url',
      'steps.ghost is not a step of this workflow',
    );
    expectIssue(
      definition(httpStep({ url: 'https://x.io/{{ steps[0].status }}' })),
      'steps[0].config.url',
      'Name a step by its id, e.g. {{ steps.notify.body }}',
    );
    expectIssue(
      definition(httpStep({ url: '{{ steps }}' })),
      'steps[0].config.url',
      'Name a step by its id, e.g. {{ steps.notify.body }}',
    );
  });

  it('reports every problem of a definition in one pass', () => {
    const issues = issuesOf({
      schemaVersion: 1,
      trigger: { type: 'webhook', config: { method: 'POST' } },
      steps: [
        httpStep({ url: 'file:///etc/passwd' }, { id: 'a' }),
        { id: 'b', name: 'B', type: 'sms', config: { to: '{{ steps.c.body }}' } },
        httpStep({ url: 'https://x.io', timeoutMs: 0 }, { id: 'a' }),
      ],
    });
    expect(issues.map((issue) => issue.path).sort()).toEqual([
      'steps[0].config.url',
      'steps[1].config.to',
      'steps[1].type',
      'steps[2].config.timeoutMs',
      'steps[2].id',
    ]);
  });
});

describe('step and trigger registries', () => {
  it('describes every step type with a schema that accepts its completed defaults', () => {
    expect(Object.keys(stepTypes)).toEqual(['http', 'filter', 'notion', 'slack', 'email']);
    expect(stepTypes.http.title).toBe('HTTP Request');
    const http = { ...stepTypes.http.defaults(), url: 'https://x.io' };
    expect(stepTypes.http.configSchema.parse(http)).toEqual(http);
    const [blank] = stepTypes.filter.defaults().conditions;
    const filter = {
      match: 'any' as const,
      conditions: [{ ...blank, left: '{{ trigger.body.plan }}', op: 'equals' as const }],
    };
    expect(stepTypes.filter.configSchema.parse(filter)).toEqual(filter);
    expect(stepTypes.http.configSchema.safeParse(stepTypes.http.defaults()).success).toBe(false);
    const email = {
      ...stepTypes.email.defaults(),
      credentialId: 'c1',
      to: 'ada@example.com',
      subject: 'Hi',
      text: 'Hello',
    };
    expect(stepTypes.email.configSchema.parse(email)).toEqual(email);
    const slack = { ...stepTypes.slack.defaults(), credentialId: 'c1', channel: '#general', text: 'Hi' };
    expect(stepTypes.slack.configSchema.parse(slack)).toEqual(slack);
  });

  it('returns fresh defaults each time', () => {
    expect(stepTypes.http.defaults()).not.toBe(stepTypes.http.defaults());
    expect(triggerTypes.webhook.configSchema.parse(triggerTypes.webhook.defaults())).toEqual({
      method: 'POST',
    });
  });

  it('lists the filter operators with labels and arity', () => {
    expect(filterOperatorList).toHaveLength(17);
    expect(filterOperatorList[0]).toEqual({ op: 'equals', label: 'is equal to', unary: false });
    expect(filterOperatorList.filter((entry) => entry.unary).map((entry) => entry.op)).toEqual([
      'exists',
      'notExists',
      'isEmpty',
      'isNotEmpty',
      'isTrue',
      'isFalse',
    ]);
  });

  it('derives the step and trigger unions and maps from the one list of specs', () => {
    expect(stepSpecs.map((spec) => spec.type)).toEqual(Object.keys(stepTypes));
    expect(stepSchema.options.map((option) => option.shape.type.value)).toEqual([
      'http',
      'filter',
      'notion',
      'slack',
      'email',
    ]);
    expect(triggerSchema.options.map((option) => option.shape.type.value)).toEqual(['webhook', 'schedule']);
    expect(triggerSpecs.map((spec) => spec.type)).toEqual(Object.keys(triggerTypes));
    expect([isStepType('http'), isStepType('sms'), isStepType('toString')]).toEqual([true, false, false]);
    expect([
      isTriggerType('webhook'),
      isTriggerType('schedule'),
      isTriggerType('cron'),
      isTriggerType(1),
    ]).toEqual([true, true, false, false]);
  });

  it('says what each type gives expressions', () => {
    expect(triggerFieldsOf('webhook')).toEqual(['body', 'query', 'headers', 'method']);
    expect(triggerFieldsOf('schedule')).toEqual(['scheduledFor', 'firedAt', 'timezone']);
    expect(describedFields(stepTypes.http.outputSchema).map((field) => field.name)).toEqual([
      'status',
      'headers',
      'body',
    ]);
    expect(describedFields(stepTypes.filter.outputSchema)).toEqual([
      { name: 'passed', description: 'Whether the conditions matched' },
    ]);
  });

  it('describes the outputs the steps hand on', () => {
    expect(
      httpOutputSchema.safeParse({ status: 200, headers: { a: 'b' }, body: { id: 1 }, durationMs: 3 })
        .success,
    ).toBe(true);
    expect(
      httpOutputSchema.safeParse({ status: '200', headers: {}, body: null, durationMs: 3 }).success,
    ).toBe(false);
    // A missing operand is absent from the stored JSON, and an operator of another version still reads.
    expect(
      filterOutputSchema.safeParse({
        passed: true,
        match: 'any',
        conditions: [{ op: 'later', result: true }],
      }).success,
    ).toBe(true);
  });
});
