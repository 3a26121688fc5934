import {
  executionIdInput,
  listExecutionsInput,
  resolveExecutionInput,
  watchExecutionInput,
  watchExecutionsInput,
} from '@automateos/shared';
import { getExecution, listExecutions, rerunExecution, resolveExecutionId } from '../../services/executions';
import { isStillSignedIn, protectedProcedure, router } from '../trpc';

export const executionsRouter = router({
  list: protectedProcedure
    .input(listExecutionsInput)
    .query(({ ctx, input }) => listExecutions(ctx.deps.db, ctx.user.id, input)),

  get: protectedProcedure
    .input(executionIdInput)
    .query(({ ctx, input }) => getExecution(ctx.deps.db, ctx.user.id, input.id)),

  /** The full id of a short one (`/executions/1a2b3c4d`): the first characters lists show. */
  resolve: protectedProcedure
    .input(resolveExecutionInput)
    .query(({ ctx, input }) => resolveExecutionId(ctx.deps.db, ctx.user.id, input.id)),
  rerun: protectedProcedure
    .input(executionIdInput)
    .mutation(({ ctx, input }) => rerunExecution(ctx.deps.db, ctx.deps.queue, ctx.user.id, input.id)),

  /** Live: one execution's status and each step as it is recorded (SSE). */
  watch: protectedProcedure.input(watchExecutionInput).subscription(({ ctx, input, signal }) =>
    ctx.deps.live.watchExecution({
      userId: ctx.user.id,
      executionId: input.id,
      signal,
      stillSignedIn: () => isStillSignedIn(ctx),
    }),
  ),

  /** Live: the account's executions, or one workflow's, as they are created and change (SSE). */
  watchList: protectedProcedure.input(watchExecutionsInput).subscription(({ ctx, input, signal }) =>
    ctx.deps.live.watchExecutions({
      userId: ctx.user.id,
      workflowId: input.workflowId,
      from: input.lastEventId ? Number(input.lastEventId) : null,
      signal,
      stillSignedIn: () => isStillSignedIn(ctx),
    }),
  ),
});
