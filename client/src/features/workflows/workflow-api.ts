import type { AppRouter } from '@automateos/server/router';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferOutput, TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { toaster } from '../../components/ui/toaster';
import { useTRPC } from '../../lib/trpc';
import { exportFileName, toExportFile } from './transfer';

type Api = TRPCOptionsProxy<AppRouter>;
export type WorkflowListItem = inferOutput<Api['workflows']['list']>['items'][number];
export type Workflow = inferOutput<Api['workflows']['get']>;

export const editorPath = (id: string) => `/workflows/${id}`;
export const executionsPath = (id: string) => `/workflows/${id}/executions`;

/** After any change to a workflow: the cached copy becomes the answer, and every list is refetched. */
export function useWorkflowCache() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return {
    stored(workflow: Workflow) {
      queryClient.setQueryData(trpc.workflows.get.queryKey({ id: workflow.id }), workflow);
      return queryClient.invalidateQueries(trpc.workflows.list.pathFilter());
    },
    deleted(id: string) {
      queryClient.removeQueries(trpc.workflows.get.queryFilter({ id }));
      return queryClient.invalidateQueries(trpc.workflows.list.pathFilter());
    },
    /** The latest stored copy, for duplicate and export. */
    fetch(id: string) {
      return queryClient.fetchQuery({ ...trpc.workflows.get.queryOptions({ id }), staleTime: 0 });
    },
  };
}

const showError = (title: string) => (error: { message: string }) =>
  toaster.error({ title, description: error.message });

export function useCreateWorkflow() {
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  return useMutation(
    trpc.workflows.create.mutationOptions({ onSuccess: (workflow) => cache.stored(workflow) }),
  );
}

/** Where "New workflow" goes: an editor for a workflow that is created on its first save. */
export const NEW_WORKFLOW_PATH = '/workflows/new';

export function useSetActive() {
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  return useMutation(
    trpc.workflows.setActive.mutationOptions({
      onSuccess: (workflow) => cache.stored(workflow),
      onError: showError('Could not switch the workflow'),
    }),
  );
}

export function useDeleteWorkflow() {
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  return useMutation(
    trpc.workflows.delete.mutationOptions({
      onSuccess: ({ id }) => cache.deleted(id),
      onError: showError('Could not delete the workflow'),
    }),
  );
}

/** A copy of the stored workflow (not of an editor's unsaved draft), switched off like every new one. */
export function useDuplicateWorkflow() {
  const cache = useWorkflowCache();
  const create = useCreateWorkflow();
  return useMutation({
    mutationFn: async (id: string) => {
      const original = await cache.fetch(id);
      return create.mutateAsync({
        name: `Copy of ${original.name}`.slice(0, 100),
        description: original.description,
        definition: original.definition,
      });
    },
    onSuccess: (copy) => toaster.success({ title: 'Workflow duplicated', description: copy.name }),
    onError: showError('Could not duplicate the workflow'),
  });
}

export function useExportWorkflow() {
  const cache = useWorkflowCache();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      const [workflow, credentials] = await Promise.all([
        cache.fetch(id),
        queryClient.fetchQuery({ ...trpc.credentials.list.queryOptions(), staleTime: 0 }),
      ]);
      const byId = new Map(credentials.items.map((credential) => [credential.id, credential]));
      downloadFile(
        exportFileName(workflow.name),
        toExportFile(workflow, (credentialId) => byId.get(credentialId)),
      );
    },
    onError: showError('Could not export the workflow'),
  });
}

function downloadFile(fileName: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next task: the download has started by then.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
