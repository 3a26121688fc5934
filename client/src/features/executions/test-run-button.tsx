import { isJsonValue, type JsonValue } from '@automateos/shared';
import { Alert, Button, CloseButton, Code, Dialog, Field, Portal, Stack, Textarea } from '@chakra-ui/react';
import { skipToken, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { PlayIcon } from '../../components/icons';
import { useTRPC } from '../../lib/trpc';
import { describeError } from './describe-error';

export type ParsedPayload = { ok: true; value: JsonValue } | { ok: false; message: string };

/** The payload box's text as the JSON value to send, or why it is not JSON. */
export function parsePayload(text: string): ParsedPayload {
  if (text.trim() === '') return { ok: false, message: 'Enter a JSON value, e.g. {}' };
  try {
    const value: unknown = JSON.parse(text);
    // JSON.parse only produces JSON values; the guard tells the type system so.
    if (isJsonValue(value)) return { ok: true, value };
    return { ok: false, message: 'Enter a JSON value, e.g. {}' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Not valid JSON: ${reason}` };
  }
}

/** The body the workflow received last, as the payload box's starting text; `{}` when there is none. */
function useLastTriggerBody(workflowId: string, enabled: boolean): string | undefined {
  const trpc = useTRPC();
  // Fresh on every opening: the newest execution may be seconds old.
  const latest = useQuery({
    ...trpc.executions.list.queryOptions(enabled ? { workflowId, limit: 1 } : skipToken),
    staleTime: 0,
  });
  const latestId = latest.data?.items[0]?.id;
  const detail = useQuery(
    trpc.executions.get.queryOptions(enabled && latestId ? { id: latestId } : skipToken),
  );
  if (latest.isError || detail.isError) return '{}';
  if (!latest.data) return undefined;
  if (!latestId) return '{}';
  if (!detail.data) return undefined;
  // Only triggers that deliver a body (webhooks) have one to start from.
  const { trigger } = detail.data;
  const body = 'body' in trigger ? trigger.body : undefined;
  return body === null || body === undefined || body === '' ? '{}' : JSON.stringify(body, null, 2);
}

/**
 * "Test run": runs the saved workflow now with a JSON payload as the trigger body (even while it is
 * switched off) and opens the new execution.
 */
export function TestRunButton({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  // null until the user types: until then the box shows the last received body.
  const [draft, setDraft] = useState<string | null>(null);
  const prefill = useLastTriggerBody(workflowId, open);
  const text = draft ?? prefill ?? '';
  const parsed = parsePayload(text);
  const loadingPrefill = draft === null && prefill === undefined;

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
        {/* Outlined: in the editor, Save is the primary action next to it. */}
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
                  <Field.Root invalid={!loadingPrefill && !parsed.ok}>
                    <Field.Label>Payload (JSON)</Field.Label>
                    <Textarea
                      value={text}
                      onChange={(event) => setDraft(event.currentTarget.value)}
                      onKeyDown={(event) => {
                        if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
                          event.preventDefault();
                          run();
                        }
                      }}
                      disabled={loadingPrefill}
                      placeholder={loadingPrefill ? 'Loading the last payload…' : undefined}
                      fontFamily="mono"
                      fontSize="sm"
                      rows={12}
                      spellCheck={false}
                      autoComplete="off"
                    />
                    {parsed.ok || loadingPrefill ? (
                      <Field.HelperText>
                        {draft === null && prefill !== '{}'
                          ? 'Prefilled with the body of the last execution. Ctrl+Enter runs it.'
                          : 'Ctrl+Enter runs it.'}
                      </Field.HelperText>
                    ) : (
                      <Field.ErrorText>{parsed.message}</Field.ErrorText>
                    )}
                  </Field.Root>
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
