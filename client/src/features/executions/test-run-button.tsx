import { Alert, Button, CloseButton, Code, Dialog, Portal, Stack } from '@chakra-ui/react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PlayIcon } from '../../components/icons';
import { useTRPC } from '../../lib/trpc';
import { describeError } from './describe-error';
import { PayloadField, parsePayload, useLastTriggerBody } from './test-payload';

/**
 * "Test run" on a workflow's execution history: runs the saved workflow now with a JSON payload as
 * the trigger body (even while it is switched off) and opens the new execution. The editor has its
 * own panel, which runs the draft on screen.
 */
export function TestRunButton({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  // null until the user types: until then the box shows the last received body.
  const [draft, setDraft] = useState<string | null>(null);
  const prefill = useLastTriggerBody(workflowId, open, '{}');
  const text = draft ?? prefill?.text ?? '';
  const parsed = parsePayload(text);

  const testRun = useMutation(
    trpc.workflows.testRun.mutationOptions({
      onSuccess: async ({ executionId }) => {
        await queryClient.invalidateQueries(trpc.executions.list.pathFilter());
        setOpen(false);
        setDraft(null);
        navigate(`/executions/${executionId}`);
      },
    }),
  );

  const run = () => {
    if (parsed.ok && !testRun.isPending) testRun.mutate({ id: workflowId, payload: parsed.value });
  };

  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => {
        setOpen(details.open);
        if (!details.open) testRun.reset();
      }}
      size="lg"
    >
      <Dialog.Trigger asChild>
        <Button size="sm" variant="outline">
          <PlayIcon />
          Test run
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content asChild>
            <form
              onSubmit={(event) => {
                event.preventDefault();
                run();
              }}
            >
              <Dialog.Header>
                <Dialog.Title>Test run</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Stack gap="4">
                  <Dialog.Description>
                    Runs the saved workflow now, even while it is switched off. Its steps read this payload as{' '}
                    <Code whiteSpace="nowrap">trigger.body</Code>.
                  </Dialog.Description>
                  <PayloadField
                    text={text}
                    onChange={setDraft}
                    onRun={run}
                    loading={draft === null && prefill === undefined}
                    helper={
                      draft === null && prefill?.last ? 'Prefilled with the body of the last execution.' : ''
                    }
                  />
                  {testRun.error && (
                    <Alert.Root status="error" role="alert">
                      <Alert.Indicator />
                      <Alert.Title>{describeError(testRun.error)}</Alert.Title>
                    </Alert.Root>
                  )}
                </Stack>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline">Cancel</Button>
                </Dialog.ActionTrigger>
                <Button type="submit" colorPalette="blue" disabled={!parsed.ok} loading={testRun.isPending}>
                  Run
                </Button>
              </Dialog.Footer>
              <Dialog.CloseTrigger asChild>
                <CloseButton size="sm" />
              </Dialog.CloseTrigger>
            </form>
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}
