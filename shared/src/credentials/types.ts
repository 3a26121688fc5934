import { z } from 'zod';
import { MAILBOX } from '../mailbox';
import { byType } from '../workflow/node-spec';
import { HEADER_NAME } from './headers';
import { defineCredentialSpec } from './spec';

/** What an HTTP header can carry: a line break would start a header of its own. */
const headerText = (label: string) =>
  z
    .string({ error: `${label} is required` })
    .trim()
    .min(1, `${label} is required`)
    .max(8192, `${label} must be at most 8192 characters`)
    .refine((value) => !/[\r\n]/.test(value), `${label} cannot contain line breaks`);

/** An optional field: left out, or blank, it is not there. */
const optional = <Schema extends z.ZodType>(schema: Schema) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    schema.optional(),
  );

const text = (label: string, max: number) =>
  z.string().max(max, `${label} must be at most ${max} characters`);

export const httpBearerCredential = defineCredentialSpec({
  type: 'httpBearer',
  title: 'Bearer token',
  description: 'An API token sent as "Authorization: Bearer <token>" by HTTP Request steps.',
  fields: {
    token: { label: 'Token', secret: true, schema: headerText('Token'), placeholder: 'sk_live_…' },
  },
});

export const httpBasicCredential = defineCredentialSpec({
  type: 'httpBasic',
  title: 'Basic auth',
  description: 'A user name and password sent as "Authorization: Basic …" by HTTP Request steps.',
  fields: {
    username: {
      label: 'User name',
      // RFC 7617: the user-id ends at the first colon.
      schema: headerText('User name').refine(
        (value) => !value.includes(':'),
        'User name cannot contain ":" (Basic auth ends the user name at the first colon)',
      ),
    },
    password: {
      label: 'Password',
      secret: true,
      schema: z
        .string({ error: 'Password is required' })
        .min(1, 'Password is required')
        .max(1024, 'Password must be at most 1024 characters')
        .refine((value) => !/[\r\n]/.test(value), 'Password cannot contain line breaks'),
    },
  },
});

export const httpHeaderCredential = defineCredentialSpec({
  type: 'httpHeader',
  title: 'Header',
  description: 'A header of your choice (X-Api-Key: …) added by HTTP Request steps.',
  fields: {
    name: {
      label: 'Header name',
      schema: z
        .string({ error: 'Header name is required' })
        .trim()
        .min(1, 'Header name is required')
        .max(256, 'Header name must be at most 256 characters')
        .regex(HEADER_NAME, 'Use letters, digits and - in a header name (e.g. X-Api-Key)'),
      placeholder: 'X-Api-Key',
    },
    value: { label: 'Header value', secret: true, schema: headerText('Header value') },
  },
});

export const notionCredential = defineCredentialSpec({
  type: 'notion',
  title: 'Notion',
  description: 'An internal integration token for Notion steps.',
  fields: {
    token: {
      label: 'Integration token',
      secret: true,
      schema: headerText('Integration token'),
      placeholder: 'ntn_…',
      help: 'Notion → Settings → Connections → Develop or manage integrations → your integration → Internal integration secret. Share the pages and databases it may use with it.',
    },
  },
  test: 'Asks Notion who the token belongs to (GET /v1/users/me); nothing is changed.',
});

const webhookUrl = z
  .url({ protocol: /^https?$/, error: 'Webhook URL must be an http(s) URL' })
  .max(2048, 'Webhook URL must be at most 2048 characters');

export const slackCredential = defineCredentialSpec({
  type: 'slack',
  title: 'Slack',
  description: 'A bot token (xoxb-…) for any channel the bot is in, or one incoming-webhook URL.',
  fields: {
    token: {
      label: 'Bot token',
      secret: true,
      schema: optional(headerText('Bot token')),
      placeholder: 'xoxb-…',
      help: 'api.slack.com/apps → your app → OAuth & Permissions → Bot User OAuth Token. Leave empty to use a webhook URL.',
    },
    webhookUrl: {
      label: 'Incoming-webhook URL',
      secret: true,
      schema: optional(webhookUrl),
      placeholder: 'https://hooks.slack.com/services/…',
      help: 'Posts to one channel only. Leave empty to use a bot token.',
    },
  },
  refine(data, ctx) {
    if ((data.token === undefined) === (data.webhookUrl === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [data.token === undefined ? 'token' : 'webhookUrl'],
        message:
          data.token === undefined
            ? 'Give a bot token or an incoming-webhook URL'
            : 'Give a bot token or an incoming-webhook URL, not both',
      });
    }
  },
  test: 'With a bot token, asks Slack who it is (auth.test); with a webhook URL, sends an empty message Slack refuses, so nothing is posted.',
});

export const smtpSecurityModes = ['starttls', 'tls', 'none'] as const;
export type SmtpSecurity = (typeof smtpSecurityModes)[number];

/** A host name or an IP address: what a mail server is reached by, without a scheme or a port. */
const HOST = /^(?:\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)$/i;

export const smtpCredential = defineCredentialSpec({
  type: 'smtp',
  title: 'SMTP',
  description: 'A mail server that email steps send through.',
  fields: {
    host: {
      label: 'Host',
      schema: z
        .string({ error: 'Host is required' })
        .trim()
        .min(1, 'Host is required')
        .max(253, 'Host must be at most 253 characters')
        .regex(HOST, 'Host is a name or an address, without scheme or port (e.g. smtp.example.com)'),
      placeholder: 'smtp.example.com',
    },
    port: {
      label: 'Port',
      input: 'number',
      schema: z
        .int({ error: 'Port is a whole number between 1 and 65535' })
        .min(1, 'Port is a whole number between 1 and 65535')
        .max(65535, 'Port is a whole number between 1 and 65535'),
      placeholder: '587',
      help: '587 for STARTTLS, 465 for TLS, 25 for a relay without encryption.',
    },
    security: {
      label: 'Security',
      input: 'select',
      options: [
        { value: 'starttls', label: 'STARTTLS (port 587)' },
        { value: 'tls', label: 'TLS from the start (port 465)' },
        { value: 'none', label: 'None: plain text (only on a network you trust)' },
      ],
      schema: z.enum(smtpSecurityModes, {
        error: `Security must be one of ${smtpSecurityModes.join(', ')}`,
      }),
    },
    username: { label: 'User name', schema: optional(text('User name', 256)) },
    password: {
      label: 'Password',
      secret: true,
      schema: optional(text('Password', 1024)),
      help: 'For Gmail, an app password (Google Account → Security → App passwords).',
    },
    from: {
      label: 'Default sender',
      schema: z
        .string({ error: 'Default sender is required' })
        .trim()
        .min(1, 'Default sender is required')
        .max(320, 'Default sender must be at most 320 characters')
        .regex(MAILBOX, 'Write an address, or a name and an address: Example Ops <ops@example.com>'),
      placeholder: 'Example Ops <ops@example.com>',
    },
  },
  refine(data, ctx) {
    if (data.password !== undefined && data.username === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['username'],
        message: 'A password needs a user name',
      });
    }
  },
  test: 'Connects to the server, starts encryption and signs in, then disconnects; no mail is sent.',
});

export const webhookSecretCredential = defineCredentialSpec({
  type: 'webhookSecret',
  title: 'Webhook signing secret',
  description: 'The secret a sender signs its webhooks with, for verifying their signatures.',
  fields: {
    secret: {
      label: 'Signing secret',
      secret: true,
      schema: z
        .string({ error: 'Signing secret is required' })
        .trim()
        .min(1, 'Signing secret is required')
        .max(1024, 'Signing secret must be at most 1024 characters'),
      placeholder: 'whsec_…',
    },
  },
});

/**
 * Every credential type, in the order the Credentials page offers them. A new type is its spec here
 * and one entry in this list; the API input, `credentialTypes` and the registries of server/ and
 * client/ follow from it.
 */
export const credentialSpecs = [
  httpBearerCredential,
  httpBasicCredential,
  httpHeaderCredential,
  notionCredential,
  slackCredential,
  smtpCredential,
  webhookSecretCredential,
] as const;

export const credentialTypes = byType(credentialSpecs);
export type CredentialType = (typeof credentialSpecs)[number]['type'];
export type CredentialSpecOf<Type extends CredentialType> = (typeof credentialTypes)[Type];
/** A credential's whole data (secret fields included), as checked: what the worker hands a step. */
export type CredentialData<Type extends CredentialType> = z.output<CredentialSpecOf<Type>['dataSchema']>;
/** The fields the API shows: everything but the secret ones. */
export type PublicCredentialData<Type extends CredentialType> = Omit<
  CredentialData<Type>,
  CredentialSpecOf<Type>['secretFields'][number]
>;

export const credentialTypeNames = credentialSpecs.map((spec) => spec.type) as [
  CredentialType,
  ...CredentialType[],
];

export function isCredentialType(value: unknown): value is CredentialType {
  return typeof value === 'string' && Object.hasOwn(credentialTypes, value);
}

/**
 * A decrypted credential, as the worker hands it to a step that declared it accepts `Type`: a step
 * that takes one type gets that type's data, typed.
 */
export interface CredentialValue<Type extends CredentialType = CredentialType> {
  id: string;
  name: string;
  type: Type;
  data: CredentialData<Type>;
}
