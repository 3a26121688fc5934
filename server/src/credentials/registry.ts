/**
 * How each credential type works on the server: the headers it authenticates an HTTP request with,
 * the forms of its secrets to redact besides the values themselves, and its harmless check. Keyed
 * like `credentialTypes` in shared/: a type added there without an entry here fails the type check.
 */
import {
  type CredentialData,
  type CredentialType,
  type CredentialValue,
  credentialTypes,
} from '@automateos/shared';
import {
  type CheckContext,
  type CheckResult,
  checkNotion,
  checkSlackToken,
  checkSlackWebhook,
  checkSmtp,
  notionHeaders,
} from './checks';

export interface CredentialImplementation<Type extends CredentialType> {
  /** Headers that authenticate an HTTP request with this credential. */
  headers?(data: CredentialData<Type>): Record<string, string>;
  /**
   * What to redact besides each secret field's own value (in all its encodings): forms the type
   * builds from its fields, such as the Basic header's base64 of `user:password`.
   */
  secretForms?(data: CredentialData<Type>): string[];
  /** The harmless check of `credentials.test`; the shared spec's `test` says what it does. */
  test?(data: CredentialData<Type>, ctx: CheckContext): Promise<CheckResult>;
}

const basic = (username: string, password: string) =>
  Buffer.from(`${username}:${password}`, 'utf8').toString('base64');

export const credentialImplementations: { [Type in CredentialType]: CredentialImplementation<Type> } = {
  httpBearer: {
    headers: ({ token }) => ({ authorization: `Bearer ${token}` }),
  },
  httpBasic: {
    headers: ({ username, password }) => ({ authorization: `Basic ${basic(username, password)}` }),
    secretForms: ({ username, password }) => [basic(username, password), `${username}:${password}`],
  },
  httpHeader: {
    headers: ({ name, value }) => ({ [name.toLowerCase()]: value }),
  },
  notion: {
    headers: ({ token }) => notionHeaders(token),
    test: ({ token }, ctx) => checkNotion(token, ctx),
  },
  slack: {
    headers: ({ token }): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {}),
    // The path of an incoming-webhook URL is what makes it secret; messages may name only the path.
    secretForms: ({ webhookUrl }) => {
      if (!webhookUrl) return [];
      const path = new URL(webhookUrl).pathname;
      return [path, path.split('/').filter(Boolean).at(-1) ?? ''];
    },
    test: (data, ctx) =>
      data.token ? checkSlackToken(data.token, ctx) : checkSlackWebhook(data.webhookUrl ?? '', ctx),
  },
  smtp: {
    test: (data, ctx) => checkSmtp(data, ctx),
  },
  webhookSecret: {},
};

/** Correlates a credential's type with its implementation, for code that holds any credential. */
export function implementationOf<Type extends CredentialType>(type: Type): CredentialImplementation<Type> {
  return credentialImplementations[type];
}

/** The headers that authenticate an HTTP request with `credential` (none for a type that has none). */
export function requestHeaders(credential: CredentialValue): Record<string, string> {
  return implementationOf(credential.type).headers?.(credential.data) ?? {};
}

/** Every string a credential's data must not appear as: its secret fields and the forms built from them. */
export function secretsOf<Type extends CredentialType>(type: Type, data: CredentialData<Type>): string[] {
  const fields: readonly string[] = credentialTypes[type].secretFields;
  const values = Object.entries(data).flatMap(([name, value]) =>
    fields.includes(name) && typeof value === 'string' ? [value] : [],
  );
  return [...values, ...(implementationOf(type).secretForms?.(data) ?? [])];
}
