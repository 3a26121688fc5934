import {
  type CreateWorkflowInput,
  exampleDefinition as designExample,
  type WorkflowDefinitionInput,
} from '@automateos/shared';
import type { APIRequestContext } from '@playwright/test';

/** DESIGN.md's example workflow. */
export const exampleDefinition = designExample();

const [first] = exampleDefinition.steps;
if (first?.type !== 'http') throw new Error("DESIGN.md's example starts with its HTTP step");
/** The first step of DESIGN.md's example workflow. */
export const notifyStep = first;

export interface StoredWorkflow {
  id: string;
  name: string;
  description: string;
  active: boolean;
  version: number;
  definition: WorkflowDefinitionInput;
  webhookUrl: string;
}

async function call<T>(
  request: APIRequestContext,
  procedure: string,
  input: unknown,
  method: 'GET' | 'POST',
) {
  // tRPC with the superjson transformer wraps input and result as { json }.
  const response =
    method === 'GET'
      ? await request.get(`/trpc/${procedure}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`)
      : await request.post(`/trpc/${procedure}`, { data: { json: input } });
  if (!response.ok()) throw new Error(`${procedure} answered ${response.status()}: ${await response.text()}`);
  const body = (await response.json()) as { result: { data: { json: T } } };
  return body.result.data.json;
}

/** Creates a workflow through the API, as the user whose session `request` holds. */
export function createWorkflow(request: APIRequestContext, input: Partial<CreateWorkflowInput> = {}) {
  return call<StoredWorkflow>(
    request,
    'workflows.create',
    { name: 'Billing', definition: exampleDefinition, ...input },
    'POST',
  );
}

export function getWorkflow(request: APIRequestContext, id: string) {
  return call<StoredWorkflow>(request, 'workflows.get', { id }, 'GET');
}

export function updateWorkflow(
  request: APIRequestContext,
  input: { id: string; version: number; name?: string; definition?: WorkflowDefinitionInput },
) {
  return call<StoredWorkflow>(request, 'workflows.update', input, 'POST');
}
