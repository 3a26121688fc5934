import {
  type AnyStepSpec,
  type CredentialValue,
  type ExpressionScope,
  formatIssuePath,
  isRecord,
  resolveValue,
  type StepAuth,
} from '@automateos/shared';
import { z } from 'zod';
import type { Config } from '../config';
import type { OutboundHttp } from '../net/http-client';

/** Where the Notion and Slack steps find their APIs: the public ones, or a proxy or test stand-in. */
export type ApiBaseUrls = Pick<Config, 'NOTION_API_URL' | 'SLACK_API_URL'>;

/** The logger a step gets: the worker's, bound to the execution and the step. */
export interface StepLogger {
  info(details: Record<string, unknown>, message: string): void;
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * What a step may use while it runs, besides its own input. The engine builds it for each step
 * (run-execution.ts).
 */
export interface StepContext<Credential = CredentialValue | undefined> {
  /** Aborted when the worker stops or loses the execution: every request and every wait gives up on it. */
  signal: AbortSignal;
  /** The guarded, pooled outbound HTTP layer: the only way a step reaches the network. */
  http: OutboundHttp;
  apis: ApiBaseUrls;
  log: StepLogger;
  /**
   * The credential the step's config names, decrypted for this run only, of a type the spec's
   * `auth` accepts (typed by it); undefined when the step uses none. Everything it holds is
   * redacted from what the step records.
   */
  credential: Credential;
}

/** The credential a step of this spec is handed: one of the types its `auth` accepts. */
export type CredentialFor<Spec extends AnyStepSpec> =
  Spec['auth'] extends StepAuth<infer Types>
    ? Spec['auth'] extends { required: true }
      ? CredentialValue<Types>
      : CredentialValue<Types> | undefined
    : undefined;

export interface ResolvedStep<Input> {
  /** The config after expressions were resolved: what the step log shows as the step's input. */
  input: Input;
  /** Expression paths that found nothing (rendered empty), for the log. */
  missing: string[];
}

/** A step either hands its output on, or stops the chain (Filter) — a success either way. */
export type StepOutcome<Output = unknown> =
  | { kind: 'continue'; output: Output; attempts: number }
  | { kind: 'stop'; output: Output };

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

export type ConfigOf<Spec extends AnyStepSpec> = z.output<Spec['configSchema']>;
export type InputOf<Spec extends AnyStepSpec> = z.output<Spec['inputSchema']>;
export type OutputOf<Spec extends AnyStepSpec> = z.output<Spec['outputSchema']>;

/** What a node file writes: how its config's expressions resolve (if not the default), and how it runs. */
export interface NodeDefinition<Spec extends AnyStepSpec> {
  /** Default: every string of the config is resolved as a template (`resolveValue`). */
  resolve?(config: ConfigOf<Spec>, scope: ExpressionScope): ResolvedStep<z.input<Spec['inputSchema']>>;
  /** Runs on the resolved input, already checked against the spec's inputSchema. */
  run(input: InputOf<Spec>, ctx: StepContext<CredentialFor<Spec>>): Promise<StepOutcome<OutputOf<Spec>>>;
  /**
   * What the step log shows as its input, when that is not the input itself (the HTTP step names
   * its credential instead of the id, and hides hand-typed secret header values). It sees the
   * resolved input before it was checked, so it reads it as unknown.
   */
  loggedInput?(input: unknown, credential: CredentialValue | undefined): unknown;
  /** Secret values the input carries besides the credential (a hand-typed API key): redacted wherever they appear. */
  secrets?(input: unknown): string[];
  /**
   * False for a step that changes nothing outside the execution (the filter): the steps before it
   * need not be recorded before it runs, so their records are written together with later ones.
   * Default true: an earlier step's record is durable before this step reaches out.
   */
  sideEffects?: boolean;
}

/** The server half of a step type: the spec (schemas, title) is in shared/, this is the code that runs. */
export interface StepNode<Spec extends AnyStepSpec> {
  readonly spec: Spec;
  resolve(config: ConfigOf<Spec>, scope: ExpressionScope): ResolvedStep<unknown>;
  /** Checks the resolved input against the spec and the credential against its `auth`, then runs the step. */
  run(input: unknown, ctx: StepContext): Promise<StepOutcome<OutputOf<Spec>>>;
  loggedInput(input: unknown, credential: CredentialValue | undefined): unknown;
  secrets(input: unknown): string[];
  readonly sideEffects: boolean;
}

/** Whether `credential` is what a step of `spec` may be handed. */
function fits<Spec extends AnyStepSpec>(
  spec: Spec,
  credential: CredentialValue | undefined,
): credential is CredentialFor<Spec> {
  if (credential === undefined) return spec.auth?.required !== true;
  return spec.auth?.types.includes(credential.type) ?? false;
}

/** A step type's implementation, its config, input and output types inferred from its spec. */
export function defineNode<const Spec extends AnyStepSpec>(
  spec: Spec,
  definition: NodeDefinition<Spec>,
): StepNode<Spec> {
  return {
    spec,
    resolve:
      definition.resolve ??
      ((config, scope) => {
        const { value, missing } = resolveValue(config, scope);
        return { input: value, missing };
      }),
    async run(input, ctx) {
      const checked = z.safeParse<Spec['inputSchema']>(spec.inputSchema, input);
      if (!checked.success) throw new StepFailure(inputProblem(checked.error, input), 'INVALID_INPUT');
      const { credential } = ctx;
      // The engine checked this already (with the message the log shows); the type needs it here.
      if (!fits(spec, credential))
        throw new StepFailure(`This step cannot use a ${credential?.type} credential.`, 'CREDENTIAL_TYPE');
      return definition.run(checked.data, { ...ctx, credential });
    },
    loggedInput: definition.loggedInput ?? ((input) => input),
    secrets: definition.secrets ?? (() => []),
    sideEffects: definition.sideEffects ?? true,
  };
}

/**
 * Why a resolved input cannot run, in the words of the step's config: which field, what the
 * expression put there and what belongs there.
 */
function inputProblem(error: z.ZodError, input: unknown): string {
  const problems = error.issues.slice(0, 3).map((issue) => {
    const where = formatIssuePath(issue.path) || 'the config';
    if (issue.code === 'invalid_type') {
      const found = describeValue(valueAt(input, issue.path));
      return `${where} is ${found} where ${EXPECTED[issue.expected] ?? issue.expected} belongs`;
    }
    return `${where}: ${issue.message.replace(/\.$/, '')}`;
  });
  return `After its expressions were resolved, ${problems.join('; ')}. Check the expressions in these fields.`;
}

const EXPECTED: Record<string, string> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
  record: 'an object',
};

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else if (isRecord(current) && typeof key === 'string') current = current[key];
    else return undefined;
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  return `${typeof value === 'number' ? 'the number' : ''} ${String(value)}`.trim();
}
