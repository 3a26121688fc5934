import { isTerminalStatus, SHORT_ID_LENGTH } from '@automateos/shared';
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  DataList,
  Heading,
  HStack,
  Link,
  Spinner,
  Stack,
  Text,
} from '@chakra-ui/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { FilterIcon, RefreshIcon } from '../../components/icons';
import { PageHeader } from '../../components/page-header';
import { formatExact } from '../../lib/relative-time';
import { apiErrorCode, useTRPC } from '../../lib/trpc';
import { useNow } from '../../lib/use-now';
import { LiveIndicator } from '../live/live-indicator';
import { type LiveStatus, useLiveExecution } from '../live/use-live';
import { triggerViewOf } from '../triggers/registry';
import { editorPath, executionsPath } from '../workflows/workflow-api';
import { describeError } from './describe-error';
import { ExecutionStatusBadge } from './execution-status-badge';
import { formatDuration } from './format';
import { filteredOutcome, modeLabel } from './outcome';
import { JsonSection, StepTimeline } from './step-timeline';
import type { ExecutionDetail } from './types';

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Route `/executions/:id`; a short id (the 8 characters lists show) is looked up first. */
export function ExecutionPage() {
  const { id = '' } = useParams();
  return FULL_ID.test(id) ? <ExecutionById id={id.toLowerCase()} /> : <ShortExecutionId id={id} />;
}

function ShortExecutionId({ id }: { id: string }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const resolved = useQuery({ ...trpc.executions.resolve.queryOptions({ id }), retry: false });
  const fullId = resolved.data?.id;
  useEffect(() => {
    if (fullId) navigate(`/executions/${fullId}`, { replace: true });
  }, [fullId, navigate]);
  if (resolved.isError) return <ExecutionMissing error={resolved.error} onRetry={() => resolved.refetch()} />;
  return <PageSpinner />;
}

function ExecutionById({ id }: { id: string }) {
  const trpc = useTRPC();
  const execution = useQuery(trpc.executions.get.queryOptions({ id }));
  // A finished execution never changes again; a moving one is followed live until it finishes.
  const live = useLiveExecution(id, execution.data ? !isTerminalStatus(execution.data.status) : false);
  if (execution.isPending) return <PageSpinner />;
  if (execution.isError)
    return <ExecutionMissing error={execution.error} onRetry={() => execution.refetch()} />;
  return <ExecutionView execution={execution.data} live={live} />;
}

function PageSpinner() {
  return (
    <HStack justify="center" py="16">
      <Spinner color="fg.muted" aria-label="Loading the execution" />
    </HStack>
  );
}

function ExecutionMissing({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const code = apiErrorCode(error);
  const missing = code === 'NOT_FOUND' || code === 'BAD_REQUEST';
  return (
    <Stack gap="4" align="start">
      <title>Execution not found · AutomateOS</title>
      <Heading as="h1" size="2xl">
        {missing ? 'Execution not found' : 'Could not load the execution'}
      </Heading>
      <Text color="fg.muted">
        {code === 'NOT_FOUND'
          ? 'It may have been deleted by the retention policy, or the link is mistyped.'
          : describeError(error)}
      </Text>
      {missing ? (
        <Button asChild variant="outline">
          <RouterLink to="/">Go to your workflows</RouterLink>
        </Button>
      ) : (
        <Button variant="outline" onClick={onRetry}>
          Try again
        </Button>
      )}
    </Stack>
  );
}

function ExecutionView({ execution, live }: { execution: ExecutionDetail; live: LiveStatus }) {
  const moving = !isTerminalStatus(execution.status);
  const now = useNow(moving ? 1_000 : 60_000);
  const shortId = execution.id.slice(0, SHORT_ID_LENGTH);
  const runningFor =
    execution.startedAt && !execution.finishedAt ? now - execution.startedAt.getTime() : null;

  return (
    <Stack gap="8">
      <title>{`Execution ${shortId} · ${execution.workflowName} · AutomateOS`}</title>
      <Stack gap="4">
        <PageHeader
          trail={[
            { label: 'Workflows', to: '/' },
            { label: execution.workflowName, to: editorPath(execution.workflowId) },
            { label: 'Executions', to: executionsPath(execution.workflowId) },
          ]}
          title={
            <>
              Execution{' '}
              <Code fontSize="inherit" variant="plain" px="0" title={execution.id}>
                {shortId}
              </Code>
            </>
          }
          badges={
            <>
              <ExecutionStatusBadge status={execution.status} />
              <ModeBadge execution={execution} />
              <LiveIndicator status={live} />
            </>
          }
          actions={
            <>
              <CopyButton size="sm" variant="ghost" text={execution.id} label="Copy execution id">
                Copy id
              </CopyButton>
              <RerunButton execution={execution} />
            </>
          }
        />

        <DataList.Root
          orientation="vertical"
          size="sm"
          display="grid"
          gridTemplateColumns="repeat(auto-fill, minmax(9rem, 1fr))"
          gap="4"
        >
          <Detail label="Created" date={execution.createdAt} />
          <Detail label="Started" date={execution.startedAt} />
          <Detail label="Finished" date={execution.finishedAt} />
          <DataList.Item>
            <DataList.ItemLabel>Duration</DataList.ItemLabel>
            <DataList.ItemValue fontVariantNumeric="tabular-nums">
              {runningFor === null ? formatDuration(execution.durationMs) : `${formatDuration(runningFor)}…`}
            </DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Attempt</DataList.ItemLabel>
            <DataList.ItemValue>{execution.attempt || '—'}</DataList.ItemValue>
          </DataList.Item>
          <DataList.Item>
            <DataList.ItemLabel>Workflow version</DataList.ItemLabel>
            <DataList.ItemValue>
              {execution.draft ? `draft of ${execution.workflowVersion}` : execution.workflowVersion}
            </DataList.ItemValue>
          </DataList.Item>
        </DataList.Root>

        <ExecutionOutcome execution={execution} />
      </Stack>

      <TriggerSection execution={execution} />

      <Stack gap="4" as="section" aria-labelledby="steps-heading">
        <Heading as="h2" size="lg" id="steps-heading">
          Steps
        </Heading>
        <StepTimeline execution={execution} />
      </Stack>
    </Stack>
  );
}

/** How it started: "Webhook", "Test run" (of unsaved changes), "Re-run of 1a2b3c4d". */
function ModeBadge({ execution }: { execution: ExecutionDetail }) {
  const { mode, rerunOf, draft } = execution;
  return (
    <HStack gap="1.5" fontSize="sm" data-testid="execution-mode">
      <Badge variant="outline">{modeLabel(mode)}</Badge>
      {draft && (
        <Badge variant="subtle" title="Ran the editor's unsaved changes, not the saved workflow">
          unsaved draft
        </Badge>
      )}
      {rerunOf && (
        <Text color="fg.muted">
          of{' '}
          <Link asChild fontFamily="mono" colorPalette="blue" color="colorPalette.fg">
            <RouterLink to={`/executions/${rerunOf}`}>{rerunOf.slice(0, SHORT_ID_LENGTH)}</RouterLink>
          </Link>
        </Text>
      )}
    </HStack>
  );
}

/** Why it ended as it did: the error, or the filter that stopped it (a normal outcome, said neutrally). */
export function ExecutionOutcome({ execution }: { execution: ExecutionDetail }) {
  if (execution.error) {
    return (
      <Alert.Root status="error">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>{execution.error.message}</Alert.Title>
          {(execution.error.code || execution.error.stepId) && (
            <Alert.Description>
              {[
                execution.error.stepId && `Step: ${execution.error.stepId}`,
                execution.error.code && `Code: ${execution.error.code}`,
              ]
                .filter(Boolean)
                .join(' · ')}
            </Alert.Description>
          )}
        </Alert.Content>
      </Alert.Root>
    );
  }
  if (execution.status !== 'filtered') return null;
  const outcome = filteredOutcome(execution.definition.steps, execution.steps);
  return (
    <Alert.Root status="neutral" variant="subtle" data-testid="filtered-outcome">
      <Alert.Indicator>
        <FilterIcon />
      </Alert.Indicator>
      <Alert.Content>
        <Alert.Title>{outcome.title}</Alert.Title>
        <Alert.Description>{outcome.description}</Alert.Description>
      </Alert.Content>
    </Alert.Root>
  );
}

function Detail({ label, date }: { label: string; date: Date | null }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{date ? formatExact(date) : '—'}</DataList.ItemValue>
    </DataList.Item>
  );
}

/** What the trigger delivered, as its trigger type shows it (the type of the definition snapshot). */
function TriggerSection({ execution }: { execution: ExecutionDetail }) {
  const view = triggerViewOf(execution.definition.trigger.type);
  return (
    <Stack gap="4" as="section" aria-labelledby="trigger-heading">
      <Heading as="h2" size="lg" id="trigger-heading">
        Trigger
      </Heading>
      <Card.Root size="sm" variant="outline">
        <Card.Body gap="3">
          {view ? (
            <view.DataView
              data={execution.trigger}
              mode={execution.mode}
              receivedBody={execution.receivedBody}
            />
          ) : (
            <JsonSection title="Data" value={execution.trigger} />
          )}
        </Card.Body>
      </Card.Root>
    </Stack>
  );
}

/** Re-runs after a confirmation: the same trigger data goes through the workflow as it is saved now. */
function RerunButton({ execution }: { execution: ExecutionDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const rerun = useMutation(
    trpc.executions.rerun.mutationOptions({
      onSuccess: async ({ executionId: newId }) => {
        setConfirming(false);
        await queryClient.invalidateQueries(trpc.executions.list.pathFilter());
        navigate(`/executions/${newId}`);
      },
    }),
  );
  const calls = execution.definition.steps.filter((step) => step.type === 'http').length;
  return (
    <>
      <Button size="sm" variant="outline" onClick={() => setConfirming(true)}>
        <RefreshIcon />
        Re-run
      </Button>
      <ConfirmDialog
        open={confirming}
        title="Re-run this execution?"
        confirmLabel="Re-run"
        pending={rerun.isPending}
        onCancel={() => {
          setConfirming(false);
          rerun.reset();
        }}
        onConfirm={() => rerun.mutate({ id: execution.id })}
      >
        <Stack gap="3">
          <Text>
            A new execution runs the trigger data of {execution.id.slice(0, SHORT_ID_LENGTH)} through{' '}
            <strong>{execution.workflowName}</strong> as it is saved now.
            {calls > 0 &&
              ` Its ${calls === 1 ? 'HTTP Request step calls its URL' : `${calls} HTTP Request steps call their URLs`} again.`}
          </Text>
          {rerun.error && (
            <Text fontSize="sm" color="fg.error" role="alert">
              {describeError(rerun.error)}
            </Text>
          )}
        </Stack>
      </ConfirmDialog>
    </>
  );
}
