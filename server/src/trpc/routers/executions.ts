import { executionIdInput, listExecutionsInput } from '@automateos/shared';
import { getExecution, listExecutions, rerunExecution } from '../../services/executions';
import { protectedProcedure, router } from '../trpc';

export const executionsRouter = router({
  list: protectedProcedure
    .input(listExecutionsInput)
    .query(({ ctx, input }) => listExecutions(ctx.deps.db, ctx.user.id, input)),

  get: protectedProcedure
    .input(executionIdInput)
    .query(({ ctx, input }) => getExecution(ctx.deps.db, ctx.user.id, input.id)),

  rerun: protectedProcedure
    .input(executionIdInput)
    .mutation(({ ctx, input }) => rerunExecution(ctx.deps.db, ctx.deps.queue, ctx.user.id, input.id)),
});
