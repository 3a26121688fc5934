import { deliveryIdInput, listDeliveriesInput } from '@automateos/shared';
import { listDeliveries, replayDelivery } from '../../services/deliveries';
import { protectedProcedure, router } from '../trpc';

export const webhooksRouter = router({
  /** A workflow's recorded webhook deliveries, accepted and refused, newest first. */
  deliveries: protectedProcedure
    .input(listDeliveriesInput)
    .query(({ ctx, input }) => listDeliveries(ctx.deps.db, ctx.user.id, input)),

  /** A recorded delivery's request run again as a test run of the saved workflow. */
  replayDelivery: protectedProcedure
    .input(deliveryIdInput)
    .mutation(({ ctx, input }) => replayDelivery(ctx.deps.db, ctx.deps.queue, ctx.user.id, input.id)),
});
