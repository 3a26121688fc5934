import type { ExpressionScope } from '@automateos/shared';
import type { AddressPolicy } from '../net/ssrf';

/** What a step may use while it runs, besides its own config. */
export interface StepContext {
  /** Aborted when the worker stops or loses the execution; long waits must give up on it. */
  signal: AbortSignal;
  policy: AddressPolicy;
}

export interface ResolvedStep<Input> {
  /** The config after expressions were resolved: what the step log shows as the step's input. */
  input: Input;
  /** Expression paths that found nothing (rendered empty), for the log. */
  missing: string[];
}

/** A step either hands its output on, or stops the chain (Filter) — a success either way. */
export type StepOutcome =
  | { kind: 'continue'; output: unknown; attempts: number }
  | { kind: 'stop'; output: unknown };

/**
 * A failure the step log should show as it is: a message that says what went wrong, a code, and,
 * when the target answered, the response that made it fail.
 */
export class StepFailure extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly attempts = 1,
    readonly output?: unknown,
  ) {
    super(message);
  }
}

/** The server half of a node: the spec (schema, title) is in shared/, this is the code that runs. */
export interface NodeImplementation<Config, Input> {
  resolve(config: Config, scope: ExpressionScope): ResolvedStep<Input>;
  run(input: Input, ctx: StepContext): Promise<StepOutcome>;
}
