import type { ExpressionScope, Step, StepType } from '@automateos/shared';
import { filterNode } from './filter';
import { httpNode } from './http';
import type { NodeImplementation, ResolvedStep, StepContext, StepOutcome } from './types';

type ConfigOf<T extends StepType> = Extract<Step, { type: T }>['config'];

/**
 * Every step type's implementation, keyed like `stepTypes` in shared/: a type added there without
 * an implementation here fails the type check.
 */
export const nodeImplementations: { [T in StepType]: NodeImplementation<ConfigOf<T>, unknown> } = {
  http: httpNode as NodeImplementation<ConfigOf<'http'>, unknown>,
  filter: filterNode as NodeImplementation<ConfigOf<'filter'>, unknown>,
};

export function resolveStep(step: Step, scope: ExpressionScope): ResolvedStep<unknown> {
  const node = nodeImplementations[step.type] as NodeImplementation<Step['config'], unknown>;
  return node.resolve(step.config, scope);
}

export function runStep(step: Step, input: unknown, ctx: StepContext): Promise<StepOutcome> {
  const node = nodeImplementations[step.type] as NodeImplementation<Step['config'], unknown>;
  return node.run(input, ctx);
}
