import { z } from 'zod';

const uuid = z.uuid({ error: 'Not a valid id' });

/** `webhooks.deliveries`: a workflow's recorded webhook deliveries, newest first. */
export const listDeliveriesInput = z.strictObject({
  workflowId: uuid,
  /** The id of the last delivery of the previous page. */
  cursor: uuid.optional(),
  limit: z.number().int().min(1).max(100).default(50),
});

/** `webhooks.replayDelivery`: a recorded delivery's request, run again as a test run. */
export const deliveryIdInput = z.strictObject({ id: uuid });

/** How many deliveries each workflow keeps; older ones are deleted as new ones arrive. */
export const DELIVERIES_KEPT = 200;
/** Bytes of each delivery's body that are kept to show (and to replay). */
export const DELIVERY_PREVIEW_BYTES = 16 * 1024;
