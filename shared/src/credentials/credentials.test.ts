import { describe, expect, it } from 'vitest';
import { exportFileSchema } from '../workflow/api';
import {
  credentialReferences,
  importedCredentials,
  toPortableCredentials,
  withCredentialIds,
} from '../workflow/credential-refs';
import {
  emptyDefinition,
  type WorkflowDefinitionInput,
  workflowDefinitionSchema,
} from '../workflow/definition';
import { formatIssues } from '../workflow/issues';
import { createCredentialInput, updateCredentialInput } from './api';
import { isSecretLookingName } from './headers';
import { type CredentialField, isOptionalField } from './spec';
import { credentialSpecs, credentialTypes } from './types';

const issues = (input: unknown) => {
  const parsed = createCredentialInput.safeParse(input);
  return parsed.success ? [] : formatIssues(parsed.error);
};
const create = (type: string, data: Record<string, unknown>) => ({ name: 'Mine', type, data });

describe('credential types', () => {
  it("are the round-2 contract's, with its data fields and which of them are secret", () => {
    const described = Object.fromEntries(
      credentialSpecs.map((spec) => [
        spec.type,
        Object.entries(spec.fields).map(([name, field]: [string, CredentialField]) => {
          const optional = isOptionalField(field) ? '?' : '';
          return `${name}${optional}${field.secret ? ' (secret)' : ''}`;
        }),
      ]),
    );
    expect(described).toEqual({
      httpBearer: ['token (secret)'],
      httpBasic: ['username', 'password (secret)'],
      httpHeader: ['name', 'value (secret)'],
      notion: ['token (secret)'],
      slack: ['token? (secret)', 'webhookUrl? (secret)'],
      smtp: ['host', 'port', 'security', 'username?', 'password? (secret)', 'from'],
      webhookSecret: ['secret (secret)'],
    });
    for (const spec of credentialSpecs) {
      expect(spec.secretFields).toEqual(
        Object.entries(spec.fields).flatMap(([name, field]: [string, CredentialField]) =>
          field.secret ? [name] : [],
        ),
      );
    }
  });

  it('accept a valid credential of each type', () => {
    const valid = {
      httpBearer: { token: 'sk_live_123' },
      httpBasic: { username: 'ada', password: 'p:ss w0rd' },
      httpHeader: { name: 'X-Api-Key', value: 'key-123' },
      notion: { token: 'ntn_abc' },
      slack: { webhookUrl: 'https://hooks.slack.com/services/T1/B2/xyz' },
      smtp: { host: 'smtp.example.com', port: 587, security: 'starttls', from: 'Ops <ops@example.com>' },
      webhookSecret: { secret: 'whsec_abc' },
    };
    for (const spec of credentialSpecs) {
      expect(issues(create(spec.type, valid[spec.type])), spec.type).toEqual([]);
    }
  });

  it('say what is wrong, at the field', () => {
    expect(issues(create('httpBearer', { token: ' ' }))).toEqual([
      { path: 'data.token', message: 'Token is required' },
    ]);
    expect(issues(create('httpBearer', { token: 'a\r\nX-Evil: 1' }))).toEqual([
      { path: 'data.token', message: 'Token cannot contain line breaks' },
    ]);
    expect(issues(create('httpBasic', { username: 'a:b', password: 'x' }))[0]?.message).toMatch(
      /cannot contain ":"/,
    );
    expect(issues(create('httpHeader', { name: 'X Api', value: 'v' }))).toEqual([
      { path: 'data.name', message: 'Use letters, digits and - in a header name (e.g. X-Api-Key)' },
    ]);
    expect(issues(create('slack', {}))).toEqual([
      { path: 'data.token', message: 'Give a bot token or an incoming-webhook URL' },
    ]);
    expect(issues(create('slack', { token: 'xoxb-1', webhookUrl: 'https://hooks.slack.com/x' }))).toEqual([
      { path: 'data.webhookUrl', message: 'Give a bot token or an incoming-webhook URL, not both' },
    ]);
    expect(issues(create('slack', { webhookUrl: 'ftp://hooks.slack.com/x' }))[0]?.message).toBe(
      'Webhook URL must be an http(s) URL',
    );
    const smtp = { host: 'smtp.example.com', port: 465, security: 'tls', from: 'ops@example.com' };
    expect(issues(create('smtp', { ...smtp, password: 'secret' }))).toEqual([
      { path: 'data.username', message: 'A password needs a user name' },
    ]);
    expect(issues(create('smtp', { ...smtp, host: 'smtp://smtp.example.com:25' }))[0]?.path).toBe(
      'data.host',
    );
    expect(issues(create('smtp', { ...smtp, port: 70000 }))[0]?.path).toBe('data.port');
    expect(issues(create('smtp', { ...smtp, from: 'nobody' }))[0]?.path).toBe('data.from');
    // The same rule as the email step's addresses: a sender that step would refuse is refused here.
    expect(issues(create('smtp', { ...smtp, from: 'ops@localhost' }))[0]?.path).toBe('data.from');
    expect(issues(create('smtp', { ...smtp, security: 'ssl' }))[0]?.message).toBe(
      'Security must be one of starttls, tls, none',
    );
    expect(issues(create('httpBearer', { token: 'x', extra: 1 }))).toEqual([
      { path: 'data.extra', message: 'Unknown field "extra": allowed fields are token' },
    ]);
    expect(issues(create('oauth', {}))[0]?.message).toMatch(
      /^Unknown credential type "oauth": use one of httpBearer/,
    );
  });

  it('read blank optional fields as left out', () => {
    const parsed = createCredentialInput.parse(
      create('smtp', {
        host: 'mail.local',
        port: 25,
        security: 'none',
        username: ' ',
        password: '',
        from: 'a@b.c',
      }),
    );
    expect(parsed.data).toMatchObject({ username: undefined, password: undefined });
  });

  it('update takes a patch: text, numbers or null per field', () => {
    const id = '0f6a1c2e-3b4d-4e5f-8a9b-0c1d2e3f4a5b';
    expect(
      updateCredentialInput.safeParse({ id, data: { token: 'new', password: null, port: 25 } }).success,
    ).toBe(true);
    expect(updateCredentialInput.safeParse({ id, data: { token: { nested: true } } }).success).toBe(false);
    expect(updateCredentialInput.safeParse({ id, type: 'slack' }).success).toBe(false);
  });

  it('every type is in the map by its type', () => {
    expect(Object.keys(credentialTypes)).toEqual(credentialSpecs.map((spec) => spec.type));
  });
});

describe('isSecretLookingName', () => {
  it('knows the headers that carry secrets', () => {
    for (const name of [
      'Authorization',
      'proxy-authorization',
      'Cookie',
      'X-Api-Key',
      'X-Auth-Token',
      'api_key',
      'X-Shopify-Access-Token',
      'X-Client-Secret',
      'X-Gitlab-Token',
      'password',
      'X-Session-Id',
    ]) {
      expect(isSecretLookingName(name), name).toBe(true);
    }
    for (const name of [
      'Content-Type',
      'Accept',
      'X-Source',
      'Idempotency-Key',
      'X-Request-Id',
      'User-Agent',
    ]) {
      expect(isSecretLookingName(name), name).toBe(false);
    }
  });
});

const CREDENTIAL = '5b7c1f5e-98b6-4c1a-9d2e-3f4a5b6c7d8e';
const OTHER = '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';

function withAuth(...ids: (string | undefined)[]): WorkflowDefinitionInput {
  return {
    ...emptyDefinition(),
    steps: ids.map((id, index) => ({
      id: `call-${index}`,
      name: `Call ${index}`,
      type: 'http',
      config: {
        url: 'https://api.example.com',
        // A JSON body may hold a credentialId of its own: data, not a reference.
        body: { type: 'none' },
        headers: { 'X-Note': 'credentialId' },
        auth: id === undefined ? { type: 'none' } : { type: 'credential', credentialId: id },
      },
    })),
  };
}

describe('credential references', () => {
  it("are found through each step type's declared auth", () => {
    const definition = {
      ...withAuth(CREDENTIAL, undefined, OTHER),
      steps: [
        ...withAuth(CREDENTIAL, undefined, OTHER).steps,
        {
          id: 'body',
          name: 'Body',
          type: 'http',
          config: {
            method: 'POST',
            url: 'https://x.test',
            body: { type: 'json', value: { credentialId: 'no' } },
          },
        },
        { id: 'check', name: 'Check', type: 'filter', config: { conditions: [] } },
      ],
    };
    expect(credentialReferences(definition)).toEqual([
      {
        stepIndex: 0,
        path: ['steps', 0, 'config', 'auth', 'credentialId'],
        credentialId: CREDENTIAL,
        types: ['httpBearer', 'httpBasic', 'httpHeader'],
      },
      {
        stepIndex: 2,
        path: ['steps', 2, 'config', 'auth', 'credentialId'],
        credentialId: OTHER,
        types: ['httpBearer', 'httpBasic', 'httpHeader'],
      },
    ]);
    expect(credentialReferences('not a definition')).toEqual([]);
  });

  it('are replaced without touching the original', () => {
    const original = withAuth(CREDENTIAL, OTHER);
    const replaced = withCredentialIds(original, ({ credentialId }) => `ref:${credentialId.slice(0, 4)}`);
    expect(credentialReferences(replaced).map((r) => r.credentialId)).toEqual(['ref:5b7c', 'ref:9a8b']);
    expect(credentialReferences(original).map((r) => r.credentialId)).toEqual([CREDENTIAL, OTHER]);
    expect(replaced.steps[0]?.config).toMatchObject({ headers: { 'X-Note': 'credentialId' } });
  });

  it('export as names and types, and an import lists each once with what the file says', () => {
    const definition = workflowDefinitionSchema.parse(withAuth(CREDENTIAL, CREDENTIAL, OTHER));
    const lookup = (id: string) =>
      id === CREDENTIAL ? { name: 'Stripe live', type: 'httpBearer' as const } : undefined;
    const portable = toPortableCredentials(definition, lookup);
    expect(portable.credentials).toEqual([{ name: 'Stripe live', type: 'httpBearer' }]);
    expect(credentialReferences(portable.definition).map((r) => r.credentialId)).toEqual([
      'Stripe live',
      'Stripe live',
      // A deleted credential's id stays; the import asks about it like any other.
      OTHER,
    ]);
    const file = exportFileSchema.parse({
      automateos: 1,
      name: 'Billing',
      definition: portable.definition,
      credentials: portable.credentials,
    });
    expect(JSON.stringify(file)).not.toContain(CREDENTIAL);
    expect(importedCredentials(file.definition, file.credentials)).toEqual([
      {
        ref: 'Stripe live',
        described: { name: 'Stripe live', type: 'httpBearer' },
        types: ['httpBearer', 'httpBasic', 'httpHeader'],
        steps: [0, 1],
        trigger: false,
      },
      { ref: OTHER, types: ['httpBearer', 'httpBasic', 'httpHeader'], steps: [2], trigger: false },
    ]);
  });

  it("include a webhook trigger's signing secret, exported and imported like a step's", () => {
    const definition = workflowDefinitionSchema.parse({
      ...withAuth(OTHER),
      trigger: { type: 'webhook', config: { signature: { preset: 'github', credentialId: CREDENTIAL } } },
    });
    expect(credentialReferences(definition)[0]).toEqual({
      stepIndex: null,
      path: ['trigger', 'config', 'signature', 'credentialId'],
      credentialId: CREDENTIAL,
      types: ['webhookSecret'],
    });
    const portable = toPortableCredentials(definition, (id) =>
      id === CREDENTIAL ? { name: 'GitHub hook', type: 'webhookSecret' as const } : undefined,
    );
    expect(portable.definition.trigger).toMatchObject({
      config: { signature: { credentialId: 'GitHub hook' } },
    });
    expect(importedCredentials(portable.definition, portable.credentials)[0]).toEqual({
      ref: 'GitHub hook',
      described: { name: 'GitHub hook', type: 'webhookSecret' },
      types: ['webhookSecret'],
      steps: [],
      trigger: true,
    });
  });

  it('an export file names credential types it knows', () => {
    const parsed = exportFileSchema.safeParse({
      automateos: 1,
      name: 'Billing',
      definition: emptyDefinition(),
      credentials: [{ name: 'Stripe', type: 'apiKey' }],
    });
    expect(parsed.success ? [] : formatIssues(parsed.error)[0]?.message).toMatch(
      /^Credential type must be one of httpBearer/,
    );
  });
});

describe('the HTTP step auth', () => {
  const parse = (auth: unknown) => {
    const parsed = workflowDefinitionSchema.safeParse({
      ...emptyDefinition(),
      steps: [{ id: 'a', name: 'A', type: 'http', config: { url: 'https://x.test', auth } }],
    });
    return parsed.success ? parsed.data.steps[0]?.config : formatIssues(parsed.error);
  };

  it('is none by default, or a credential by id', () => {
    expect(parse(undefined)).toMatchObject({ auth: { type: 'none' } });
    expect(parse({ type: 'credential', credentialId: CREDENTIAL })).toMatchObject({
      auth: { type: 'credential', credentialId: CREDENTIAL },
    });
    expect(parse({ type: 'credential' })).toEqual([
      { path: 'steps[0].config.auth.credentialId', message: 'Pick a credential' },
    ]);
    expect(parse({ type: 'oauth2' })).toEqual([
      {
        path: 'steps[0].config.auth.type',
        message: 'Unknown auth type "oauth2": use one of none, credential',
      },
    ]);
    expect(parse({ type: 'none', credentialId: CREDENTIAL })).toEqual([
      {
        path: 'steps[0].config.auth.credentialId',
        message: 'Unknown field "credentialId": allowed fields are type',
      },
    ]);
  });
});
