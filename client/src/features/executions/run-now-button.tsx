import { Button } from '@chakra-ui/react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { PlayIcon } from '../../components/icons';
import { toaster } from '../../components/ui/toaster';
import { useTRPC } from '../../lib/trpc';
import { triggerViewOf } from '../triggers/registry';
import { describeError } from './describe-error';
import { TestRunButton } from './test-run-button';

/** "Run now": runs the saved workflow at once (mode manual), even while it is switched off. */
export function RunNowButton({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const run = useMutation(
    trpc.workflows.testRun.mutationOptions({
      onSuccess: async ({ executionId }) => {
        await queryClient.invalidateQueries(trpc.executions.list.pathFilter());
        navigate(`/executions/${executionId}`);
      },
      onError: (error) =>
        toaster.error({ title: 'Could not run the workflow', description: describeError(error) }),
    }),
  );
  return (
    <Button
      size="sm"
      variant="outline"
      loading={run.isPending}
      onClick={() => run.mutate({ id: workflowId, payload: null })}
    >
      <PlayIcon />
      Run now
    </Button>
  );
}

/** The run button a workflow's trigger type asks for: "Test run" with a payload, or "Run now". */
export function RunButton({ workflowId, triggerType }: { workflowId: string; triggerType: unknown }) {
  return triggerViewOf(triggerType)?.testRun === 'now' ? (
    <RunNowButton workflowId={workflowId} />
  ) : (
    <TestRunButton workflowId={workflowId} />
  );
}
