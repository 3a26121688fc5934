import {
  isTerminalStatus,
  type JsonValue,
  SHORT_ID_LENGTH,
  workflowDefinitionSchema,
} from '@automateos/shared';
import {
  Alert,
  Button,
  Card,
  CloseButton,
  Code,
  Heading,
  HStack,
  Link,
  Spinner,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { PlayIcon } from '../../../components/icons';
import { useTRPC } from '../../../lib/trpc';
import { describeError } from '../../executions/describe-error';
import { ExecutionOutcome } from '../../executions/execution-page';
import { ExecutionStatusBadge } from '../../executions/execution-status-badge';
import { formatDuration } from '../../executions/format';
import { StepTimeline } from '../../executions/step-timeline';
import { PayloadField, parsePayload, useLastTriggerBody } from '../../executions/test-payload';
import { LiveIndicator } from '../../live/live-indicator';
import { useLiveExecution } from '../../live/use-live';
import { refreshFieldSamples } from './field-samples';

interface TestRunPanelProps {
  /** The saved workflow's id; null for a new one, which is saved first. */
  workflowId: string | null;
  /** The definition on screen, and whether it differs from the saved one (then it is sent along). */
  definition: unknown;
  unsaved: boolean;
  /** Problems that keep the draft from running; a run shows them all instead. */
  problemCount: number;
  onShowProblems: () => void;
  /** Saves a new workflow and answers its id (null when that failed: the editor says why). */
  saveFirst: () => Promise<string | null>;
  /** False for a trigger that delivers no payload (a schedule): the run is a slot of this moment. */
  withPayload: boolean;
  /** Starting text for the payload when the workflow has received nothing yet. */
  samplePayload: string;
  /** The payload as typed, for the field picker to offer before anything ran. */
  onPayloadChange: (text: string | null) => void;
  onClose: () => void;
}

/**
 * "Test run" beside the editor: runs what is on screen — unsaved changes included, checked like a
 * save — with a JSON payload, and shows the execution here, live, with the same step log as its page.
 */
export function TestRunPanel(props: TestRunPanelProps) {
  const { workflowId, definition, unsaved, problemCount, onShowProblems, saveFirst, onClose, withPayload } =
    props;
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [typed, setTyped] = useState<string | null>(null);
  const [executionId, setExecutionId] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const prefill = useLastTriggerBody(workflowId, true, props.samplePayload);
  const text = typed ?? prefill?.text ?? '';
  const parsed = withPayload ? parsePayload(text) : ({ ok: true, value: null } as const);
  const testRun = useMutation(
    trpc.workflows.testRun.mutationOptions({
      onSuccess: ({ executionId: id }) => {
        setExecutionId(id);
        void queryClient.invalidateQueries(trpc.executions.list.pathFilter());
      },
    }),
  );
  const busy = saving || testRun.isPending;

  const run = async () => {
    if (busy || !parsed.ok) return;
    if (problemCount > 0) return onShowProblems();
    let id = workflowId;
    if (id === null) {
      setSaving(true);
      id = await saveFirst().finally(() => setSaving(false));
      if (id === null) return;
    }
    const payload: JsonValue = parsed.value;
    if (!unsaved) return testRun.mutate({ id, payload });
    // The problem count says the draft is valid; parsing it again gives the typed definition to send.
    const draft = workflowDefinitionSchema.safeParse(definition);
    if (draft.success) testRun.mutate({ id, payload, definition: draft.data });
    else onShowProblems();
  };

  return (
    <Card.Root as="aside" aria-label="Test run" size="sm" variant="outline">
      <Card.Header pb="2">
        <HStack justify="space-between">
          <Heading as="h2" size="md">
            Test run
          </Heading>
          <CloseButton size="sm" aria-label="Close the test run panel" onClick={onClose} />
        </HStack>
        <Text fontSize="sm" color="fg.muted">
          {workflowId === null
            ? `Saves the new workflow (switched off), then runs it ${withPayload ? 'with this payload as trigger.body' : 'now'}.`
            : unsaved
              ? `Runs what is on screen now, unsaved changes included, ${withPayload ? 'with this payload as trigger.body' : 'as if its schedule fired now'}. Nothing is saved.`
              : `Runs the workflow now${withPayload ? ' with this payload as trigger.body' : ''}, even while it is switched off.`}
        </Text>
      </Card.Header>
      <Card.Body gap="4">
        {withPayload && (
          <PayloadField
            text={text}
            onChange={(next) => {
              setTyped(next);
              props.onPayloadChange(next);
            }}
            onRun={() => void run()}
            loading={typed === null && prefill === undefined}
            helper={
              typed !== null
                ? ''
                : prefill?.last
                  ? 'The body of the last execution.'
                  : 'Built from the fields the steps read.'
            }
          />
        )}
        {problemCount > 0 && (
          <Text fontSize="sm" color="fg.warning">
            {problemCount === 1 ? '1 problem' : `${problemCount} problems`} to fix before this can run.
          </Text>
        )}
        <Button
          colorPalette="blue"
          alignSelf="start"
          onClick={() => void run()}
          loading={busy}
          loadingText={saving ? 'Saving…' : 'Starting…'}
          disabled={!parsed.ok}
        >
          <PlayIcon />
          {workflowId === null ? 'Save and run' : unsaved ? 'Run the draft' : 'Run'}
        </Button>
        {testRun.error && (
          <Alert.Root status="error" size="sm" role="alert">
            <Alert.Indicator />
            <Alert.Title>{describeError(testRun.error)}</Alert.Title>
          </Alert.Root>
        )}
        {executionId && <TestRunResult key={executionId} executionId={executionId} workflowId={workflowId} />}
      </Card.Body>
    </Card.Root>
  );
}

/** The execution a test run started, followed live: status, outcome and each step as it is recorded. */
function TestRunResult({ executionId, workflowId }: { executionId: string; workflowId: string | null }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const execution = useQuery(trpc.executions.get.queryOptions({ id: executionId }));
  const moving = execution.data ? !isTerminalStatus(execution.data.status) : true;
  const live = useLiveExecution(executionId, moving);
  const finished = execution.data !== undefined && !moving;
  // What it produced becomes the field picker's sample data.
  useEffect(() => {
    if (finished && workflowId) void refreshFieldSamples(queryClient, trpc, workflowId);
  }, [finished, workflowId, queryClient, trpc]);

  if (execution.isError) {
    return (
      <Text fontSize="sm" color="fg.error" role="alert">
        {describeError(execution.error)}
      </Text>
    );
  }
  const detail = execution.data;
  return (
    <Stack gap="3" data-testid="test-run-result" data-status={detail?.status}>
      <HStack justify="space-between" gap="2" wrap="wrap">
        <HStack gap="2">
          <Link asChild fontFamily="mono" fontSize="sm" colorPalette="blue" color="colorPalette.fg">
            <RouterLink to={`/executions/${executionId}`} target="_blank">
              <Code variant="plain" px="0">
                {executionId.slice(0, SHORT_ID_LENGTH)}
              </Code>
            </RouterLink>
          </Link>
          {detail ? <ExecutionStatusBadge status={detail.status} /> : <Spinner size="xs" />}
          <LiveIndicator status={live} />
        </HStack>
        {detail?.durationMs !== null && detail?.durationMs !== undefined && (
          <Text fontSize="sm" color="fg.muted" fontVariantNumeric="tabular-nums">
            {formatDuration(detail.durationMs)}
          </Text>
        )}
      </HStack>
      {detail && (
        <>
          <ExecutionOutcome execution={detail} />
          <StepTimeline execution={detail} />
        </>
      )}
    </Stack>
  );
}
