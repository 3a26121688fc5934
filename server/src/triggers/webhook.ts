import { webhookTriggerType } from '@automateos/shared';
import { defineTrigger } from './types';

/** Webhook executions are created by ingest (services/ingest.ts) from a request to /hooks/:webhookId. */
export const webhookTrigger = defineTrigger(webhookTriggerType, {
  webhook: true,

  // The request a caller would have sent: the payload as a JSON body, to the workflow's own URL.
  testRunData(config, payload, workflow) {
    const { method } = config;
    return {
      method: method === 'ANY' ? 'POST' : method,
      path: `/hooks/${workflow.webhookId ?? ''}`,
      query: {},
      headers: { 'content-type': 'application/json' },
      body: payload,
      receivedAt: new Date().toISOString(),
    };
  },

  rerunData(data) {
    return { ...data, receivedAt: new Date().toISOString() };
  },
});
