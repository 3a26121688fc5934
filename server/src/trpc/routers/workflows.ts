import {
  createWorkflowInput,
  idInput,
  listWorkflowsInput,
  previewScheduleInput,
  setActiveInput,
  testRunInput,
  updateWorkflowInput,
} from '@automateos/shared';
import { testRunWorkflow, workflowSampleData } from '../../services/executions';
import { previewScheduleRuns } from '../../services/schedules';
import {
  createWorkflow,
  deleteWorkflow,
  getWorkflow,
  listWorkflows,
  regenerateWebhook,
  setWorkflowActive,
  updateWorkflow,
} from '../../services/workflows';
import { protectedProcedure, router } from '../trpc';

export const workflowsRouter = router({
  list: protectedProcedure
    .input(listWorkflowsInput)
    .query(({ ctx, input }) => listWorkflows(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input)),

  get: protectedProcedure
    .input(idInput)
    .query(({ ctx, input }) => getWorkflow(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input.id)),

  create: protectedProcedure
    .input(createWorkflowInput)
    .mutation(({ ctx, input }) =>
      createWorkflow(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input, ctx.deps.clock.now()),
    ),

  update: protectedProcedure
    .input(updateWorkflowInput)
    .mutation(({ ctx, input }) =>
      updateWorkflow(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input, ctx.deps.clock.now()),
    ),

  setActive: protectedProcedure
    .input(setActiveInput)
    .mutation(({ ctx, input }) =>
      setWorkflowActive(
        ctx.deps.db,
        ctx.user.id,
        ctx.deps.publicUrl,
        input.id,
        input.active,
        ctx.deps.clock.now(),
      ),
    ),

  delete: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => deleteWorkflow(ctx.deps.db, ctx.user.id, input.id)),

  regenerateWebhook: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => regenerateWebhook(ctx.deps.db, ctx.user.id, ctx.deps.publicUrl, input.id)),

  /** Real data for the editor's field picker: the last trigger data and each step's last output. */
  sampleData: protectedProcedure
    .input(idInput)
    .query(({ ctx, input }) => workflowSampleData(ctx.deps.db, ctx.user.id, input.id)),

  /** The next runs of a cron in a time zone, in words and instants, with daylight-saving warnings. */
  previewSchedule: protectedProcedure
    .input(previewScheduleInput)
    .query(({ ctx, input }) => previewScheduleRuns(input, ctx.deps.clock.now())),

  /**
   * Runs the workflow now with `payload` as the trigger body, even while it is switched off; with
   * `definition`, the editor's draft as it is on screen instead of the saved version.
   */
  testRun: protectedProcedure.input(testRunInput).mutation(({ ctx, input }) =>
    testRunWorkflow(ctx.deps.db, ctx.deps.queue, ctx.user.id, {
      workflowId: input.id,
      payload: input.payload,
      draft: input.definition,
    }),
  ),
});
