/**
 * The credentials of one execution, in the worker: each decrypted when the first step that names
 * it runs, checked against the types that step accepts, and kept only for the execution (a later
 * step's target may echo a secret an earlier one sent). Its redactor holds every secret seen so
 * far, credentials and hand-typed ones alike, and cleans whatever the execution records.
 */
import {
  type CredentialType,
  type CredentialValue,
  credentialReferences,
  credentialTypes,
  type Step,
  stepTypes,
} from '@automateos/shared';
import { Redactor } from '../credentials/redact';
import { secretsOf } from '../credentials/registry';
import { inputSecrets, loggedInput } from '../nodes/registry';
import { StepFailure, type StepLogger } from '../nodes/types';
import {
  type CredentialDeps,
  CredentialUnavailableError,
  loadCredential,
  markCredentialUsed,
} from '../services/credentials';

const titles = (types: readonly CredentialType[]) =>
  types.map((type) => credentialTypes[type].title).join(', ');

export class ExecutionCredentials {
  readonly redactor = new Redactor();
  private readonly loaded = new Map<string, CredentialValue>();

  constructor(
    private readonly deps: CredentialDeps,
    private readonly userId: string,
  ) {}

  /** The credential the step names, decrypted; a missing, foreign, unreadable or unfitting one fails the step. */
  async forStep(step: Step): Promise<CredentialValue | undefined> {
    const auth = stepTypes[step.type].auth;
    if (!auth) return undefined;
    const [reference] = credentialReferences({ steps: [step] });
    if (!reference) {
      if (auth.required)
        throw new StepFailure('This step needs a credential: pick one in the step.', 'CREDENTIAL_REQUIRED');
      return undefined;
    }
    let credential = this.loaded.get(reference.credentialId);
    if (!credential) {
      try {
        credential = await loadCredential(this.deps, this.userId, reference.credentialId);
      } catch (error) {
        if (error instanceof CredentialUnavailableError) throw new StepFailure(error.message, error.code);
        throw error;
      }
      this.loaded.set(reference.credentialId, credential);
      this.redactor.add(secretsOf(credential.type, credential.data));
      await markCredentialUsed(this.deps.db, credential.id);
    }
    const accepted: readonly CredentialType[] = auth.types;
    if (!accepted.includes(credential.type)) {
      throw new StepFailure(
        `"${credential.name}" is a ${credentialTypes[credential.type].title} credential; this step takes ${titles(auth.types)}. Pick another one in the step.`,
        'CREDENTIAL_TYPE',
      );
    }
    return credential;
  }

  /**
   * A step an earlier attempt recorded (a retry resuming after a crash): its credential's secrets
   * still belong to this execution's redaction, though the step does not run again.
   */
  async noteRecorded(step: Step): Promise<void> {
    await this.forStep(step).catch((error: unknown) => {
      if (!(error instanceof StepFailure)) throw error;
    });
  }

  /** Adds the secrets the step's resolved input carries by hand (an `Authorization` header typed in). */
  noteInput(step: Step, input: unknown): void {
    this.redactor.add(inputSecrets(step, input));
  }

  /** What the step log records: its input as the step shows it, everything redacted. */
  recorded<Output, Failure>(
    step: Step,
    record: { input: unknown; output: Output; error: Failure },
    credential: CredentialValue | undefined,
  ) {
    return {
      input: this.redactor.value(loggedInput(step, record.input, credential)),
      output: this.redactor.value(record.output),
      error: this.redactor.value(record.error),
    };
  }

  /** A step's logger whose lines are redacted like its data. */
  logger(log: StepLogger): StepLogger {
    return {
      info: (details, message) => log.info(this.redactor.value(details), this.redactor.text(message)),
      warn: (details, message) => log.warn(this.redactor.value(details), this.redactor.text(message)),
    };
  }
}
