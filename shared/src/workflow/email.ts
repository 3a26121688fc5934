import { z } from 'zod';
import { parseTemplate } from '../expressions';
import { MAILBOX } from '../mailbox';
import { credentialIdSchema, retrySchema } from './http';
import { defineStepSpec } from './node-spec';
import { strictObject } from './schema-builders';

/** Most recipients one address list may name (to, cc and bcc each). */
export const MAX_EMAIL_RECIPIENTS = 100;

/**
 * A comma-separated address list split into its addresses: commas inside a quoted name
 * (`"Doe, Jane" <jane@example.com>`) do not split. Blank entries are dropped.
 */
export function splitAddressList(list: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const char of list) {
    if (char === '"') quoted = !quoted;
    if (char === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter((part) => part !== '');
}

/** What is wrong with an address list, in a sentence; undefined when every address is one. */
export function addressListProblem(list: string): string | undefined {
  const addresses = splitAddressList(list);
  const invalid = addresses.filter((address) => !MAILBOX.test(address));
  if (invalid.length > 0) {
    const shown = invalid
      .slice(0, 3)
      .map((address) => `"${address}"`)
      .join(', ');
    return `${shown} ${invalid.length === 1 ? 'is not an email address' : 'are not email addresses'}: write name@example.com or Name <name@example.com>, separated by commas`;
  }
  if (addresses.length > MAX_EMAIL_RECIPIENTS)
    return `At most ${MAX_EMAIL_RECIPIENTS} addresses per list (this one has ${addresses.length})`;
  return undefined;
}

/** Whether `text` has no expression in it: what the user typed is what is sent. */
function isLiteral(text: string): boolean {
  const parsed = parseTemplate(text);
  return parsed.ok && parsed.segments.every((segment) => segment.kind === 'text');
}

/** An address list as saved: checked now when it is literal, after its expressions resolve otherwise. */
const savedAddressList = (label: string) =>
  z
    .string({ error: `${label} must be text` })
    .max(10_000, `${label} must be at most 10000 characters`)
    .superRefine((list, ctx) => {
      if (!isLiteral(list)) return;
      const problem = addressListProblem(list);
      if (problem) ctx.addIssue(problem);
    });

/** An address list after its expressions resolved: a whole-string expression may give a list of addresses. */
const resolvedAddressList = (label: string) =>
  z
    .preprocess(
      (value) =>
        Array.isArray(value) && value.every((item) => typeof item === 'string') ? value.join(', ') : value,
      z.string({ error: `${label} must be text or a list of addresses` }),
    )
    .superRefine((list, ctx) => {
      const problem = addressListProblem(list);
      if (problem) ctx.addIssue(problem);
    });

const subject = z
  .string({ error: 'Subject is required' })
  .max(998, 'Subject must be at most 998 characters (the longest line a mail header may have)');
const body = (label: string) =>
  z.string({ error: `${label} must be text` }).max(10_000_000, `${label} must be at most 10 MB`);

const withoutLineBreaks = (value: string) => !/[\r\n]/.test(value);

export const emailConfigSchema = strictObject({
  credentialId: credentialIdSchema,
  to: savedAddressList('To').refine((list) => list.trim() !== '', 'Give at least one recipient in To'),
  cc: savedAddressList('Cc').optional(),
  bcc: savedAddressList('Bcc').optional(),
  replyTo: savedAddressList('Reply-to').optional(),
  subject: subject
    .trim()
    .min(1, 'Subject is required')
    .refine(withoutLineBreaks, 'Subject cannot contain line breaks'),
  text: body('Text body').optional(),
  html: body('HTML body').optional(),
  retry: retrySchema.prefault({}),
}).superRefine((config, ctx) => {
  if (!config.text?.trim() && !config.html?.trim())
    ctx.addIssue({ code: 'custom', path: ['text'], message: 'Write a text body, an HTML body or both' });
});
export type EmailConfig = z.output<typeof emailConfigSchema>;

const resolvedText = (schema: z.ZodString) =>
  z.preprocess(
    (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
    schema,
  );

export const emailInputSchema = strictObject({
  credentialId: credentialIdSchema,
  to: resolvedAddressList('To').refine((list) => list.trim() !== '', 'To resolved to no recipient'),
  cc: resolvedAddressList('Cc').optional(),
  bcc: resolvedAddressList('Bcc').optional(),
  replyTo: resolvedAddressList('Reply-to').optional(),
  // A subject with a line break from the payload becomes one line rather than a second header.
  subject: resolvedText(subject).transform((text) => text.replace(/[\r\n]+/g, ' ').trim()),
  text: resolvedText(body('Text body')).optional(),
  html: resolvedText(body('HTML body')).optional(),
  retry: retrySchema.prefault({}),
});
export type EmailInput = z.output<typeof emailInputSchema>;

export const emailOutputSchema = z.object({
  messageId: z.string().describe('The Message-ID header of the email sent'),
  accepted: z.array(z.string()).describe('Recipients the mail server accepted'),
  rejected: z.array(z.string()).describe('Recipients the mail server refused'),
  /** The mail server's last answer, e.g. "250 OK: queued as 1234". */
  response: z.string(),
});
export type EmailOutput = z.output<typeof emailOutputSchema>;

export const emailStepType = defineStepSpec({
  type: 'email',
  title: 'Send email',
  description: 'Sends an email through an SMTP server: to, cc, bcc, subject and a text and/or HTML body.',
  configSchema: emailConfigSchema,
  inputSchema: emailInputSchema,
  outputSchema: emailOutputSchema,
  auth: { types: ['smtp'], path: ['credentialId'], required: true },
  defaults: (): EmailConfig => ({
    credentialId: '',
    to: '',
    subject: '',
    text: '',
    retry: { attempts: 0, backoff: 'exponential', delayMs: 1000 },
  }),
});
