import type { WorkflowDefinitionInput } from './definition';

/**
 * DESIGN.md's example workflow ("Workflow definition, v1"): a webhook POST notifies billing, then
 * stops unless the user is on the pro plan. Tests point its HTTP step at a local server through
 * `eventsUrl`; the default is the URL DESIGN.md writes. A fresh object each call, so callers may
 * change it.
 */
export function exampleDefinition(eventsUrl = 'https://api.example.com/events'): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    trigger: { type: 'webhook', config: { method: 'POST' } },
    steps: [
      {
        id: 'notify',
        name: 'Notify billing',
        type: 'http',
        config: {
          method: 'POST',
          url: eventsUrl,
          headers: { 'X-Source': 'automateos' },
          query: {},
          body: {
            type: 'json',
            value: { user: '{{ trigger.body.user.id }}', amount: '{{ trigger.body.amount }}' },
          },
          timeoutMs: 10000,
        },
      },
      {
        id: 'only-pro',
        name: 'Only pro users',
        type: 'filter',
        config: {
          match: 'all',
          conditions: [{ left: '{{ trigger.body.user.plan }}', op: 'equals', right: 'pro' }],
        },
      },
    ],
  };
}
