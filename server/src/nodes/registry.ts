import type {
  CredentialValue,
  ExpressionScope,
  Step,
  StepOf,
  StepSpecOf,
  StepType,
} from '@automateos/shared';
import { emailNode } from './email';
import { filterNode } from './filter';
import { httpNode } from './http';
import { notionNode } from './notion';
import { slackNode } from './slack';
import type { ResolvedStep, StepContext, StepNode, StepOutcome } from './types';

/**
 * Every step type's implementation, keyed like `stepTypes` in shared/: a type added there without
 * an implementation here fails the type check, and so does an implementation of the wrong spec.
 */
export const stepNodes = {
  http: httpNode,
  filter: filterNode,
  notion: notionNode,
  slack: slackNode,
  email: emailNode,
} satisfies { [Type in StepType]: StepNode<StepSpecOf<Type>> };

// The registry seen through each type's config, so a step's config goes to its own type's node
// without a cast (TypeScript correlates `Configs[Type]` with `Resolvers[Type]`).
type Configs = { [Type in StepType]: StepOf<Type>['config'] };
type Resolvers = {
  [Type in StepType]: { resolve(config: Configs[Type], scope: ExpressionScope): ResolvedStep<unknown> };
};
const resolvers: Resolvers = stepNodes;

/** The step's config with its expressions resolved: what runs, and what its log shows as input. */
export function resolveStep<Type extends StepType>(
  step: { type: Type; config: Configs[Type] },
  scope: ExpressionScope,
): ResolvedStep<unknown> {
  return resolvers[step.type].resolve(step.config, scope);
}

/** Runs the step on its resolved input, which its node checks against the spec first. */
export function runStep(step: Step, input: unknown, ctx: StepContext): Promise<StepOutcome> {
  return stepNodes[step.type].run(input, ctx);
}

/** What the step log shows as the step's input (see NodeDefinition.loggedInput). */
export function loggedInput(step: Step, input: unknown, credential: CredentialValue | undefined): unknown {
  return stepNodes[step.type].loggedInput(input, credential);
}

/** Whether running the step may change something outside the execution (see NodeDefinition.sideEffects). */
export function hasSideEffects(step: Step): boolean {
  return stepNodes[step.type].sideEffects;
}

/** Secret values the step's resolved input carries besides its credential. */
export function inputSecrets(step: Step, input: unknown): string[] {
  return stepNodes[step.type].secrets(input);
}
