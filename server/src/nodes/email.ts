import { emailStepType, isRecord, splitAddressList } from '@automateos/shared';
import { smtpTransport } from '../credentials/checks';
import { HttpStepError } from '../net/http-client';
import { TransientFailure, withRetries } from './retry';
import { defineNode, StepFailure } from './types';

/** nodemailer's error codes for a connection that failed or went away: worth another attempt. */
const CONNECTION_ERRORS = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS']);

const addressText = (address: unknown) =>
  typeof address === 'string'
    ? address
    : isRecord(address) && typeof address.address === 'string'
      ? address.address
      : '';

/** What went wrong sending, in the step log's words; a transient failure when a retry may cure it. */
function sendFailure(error: unknown): StepFailure | TransientFailure {
  if (error instanceof HttpStepError) {
    const failure = new StepFailure(error.message, error.code);
    return error.retryable ? new TransientFailure(failure) : failure;
  }
  const details = isRecord(error) ? error : {};
  const code = typeof details.code === 'string' ? details.code : 'SMTP_ERROR';
  const responseCode = typeof details.responseCode === 'number' ? details.responseCode : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'EAUTH') {
    return new StepFailure(
      `The mail server refused the sign-in: ${message}. Check the user name and password of the SMTP credential (for Gmail, an app password).`,
      'SMTP_AUTH',
    );
  }
  // 4xx is SMTP's "try again later" (greylisting, a full queue); 5xx is final.
  const tryLater = responseCode !== undefined && responseCode >= 400 && responseCode < 500;
  if (code === 'EENVELOPE') {
    const rejected = Array.isArray(details.rejected) ? details.rejected.map(addressText) : [];
    const failure = new StepFailure(
      `The mail server refused ${rejected.length > 0 ? `every recipient (${rejected.join(', ')})` : 'the message envelope'}: ${message}.`,
      'SMTP_REJECTED',
      1,
      { accepted: [], rejected },
    );
    return tryLater ? new TransientFailure(failure) : failure;
  }
  const failure = new StepFailure(`Sending failed: ${message}`, `SMTP_${code.replace(/^E/, '')}`);
  return CONNECTION_ERRORS.has(code) || tryLater ? new TransientFailure(failure) : failure;
}

export const emailNode = defineNode(emailStepType, {
  /** The log names the credential, the server and the sender, never the password. */
  loggedInput(input, credential) {
    if (!isRecord(input) || !credential) return input;
    const smtp: Record<string, unknown> = credential.data;
    return { ...input, credential: credential.name, server: `${smtp.host}:${smtp.port}`, from: smtp.from };
  },

  async run(input, ctx) {
    const smtp = ctx.credential.data;
    const list = (text: string | undefined) => (text ? splitAddressList(text) : undefined);
    const message = {
      from: smtp.from,
      to: list(input.to),
      cc: list(input.cc),
      bcc: list(input.bcc),
      replyTo: list(input.replyTo),
      subject: input.subject,
      ...(input.text ? { text: input.text } : {}),
      ...(input.html ? { html: input.html } : {}),
    };
    const { result, attempts } = await withRetries(input.retry, ctx.signal, async () => {
      const transport = smtpTransport(smtp, ctx);
      try {
        return await transport.sendMail(message);
      } catch (error) {
        ctx.signal.throwIfAborted();
        throw sendFailure(error);
      } finally {
        transport.close();
      }
    });
    return {
      kind: 'continue',
      attempts,
      output: {
        messageId: result.messageId,
        accepted: result.accepted.map(addressText),
        rejected: result.rejected.map(addressText),
        response: result.response,
      },
    };
  },
});
