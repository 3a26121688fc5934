import { isTerminalStatus } from '@automateos/shared';
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
import { Link as RouterLink, useNavigate, useParams } from 'react-router';
import { formatExact } from '../../lib/relative-time';
import { apiErrorCode, useTRPC } from '../../lib/trpc';
import { useNow } from '../../lib/use-now';
import { LiveIndicator } from '../live/live-indicator';
import { type LiveStatus, useLiveExecution } from '../live/use-live';
import { triggerViewOf } from '../triggers/registry';
import { describeError } from './describe-error';
import { ExecutionStatusBadge } from './execution-status-badge';
import { formatDuration } from './format';
import { JsonSection, StepTimeline } from './step-timeline';
import type { ExecutionDetail } from './types';

export function ExecutionPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  const execution = useQuery(trpc.executions.get.queryOptions({ id }));
  // A finished execution never changes again; a moving one is followed live until it finishes.
  const live = useLiveExecution(id, execution.data ? !isTerminalStatus(execution.data.status) : false);

  if (execution.isPending) {
    return (
      <HStack justify="center" py="16">
        <Spinner color="fg.muted" aria-label="Loading the execution" />
      </HStack>
    );
  }
  if (execution.isError) {
    const missing = ['NOT_FOUND', 'BAD_REQUEST'].includes(apiErrorCode(execution.error) ?? '');
    return (
      <Stack gap="4" align="start">
        <title>Execution not found · AutomateOS</title>
        <Heading as="h1" size="2xl">
          {missing ? 'Execution not found' : 'Could not load the execution'}
        </Heading>
        <Text color="fg.muted">
          {missing
            ? 'It may have been deleted by the retention policy, or the link is mistyped.'
            : describeError(execution.error)}
        </Text>
        {missing ? (
          <Button asChild variant="outline">
            <RouterLink to="/">Go to your workflows</RouterLink>
          </Button>
        ) : (
          <Button variant="outline" onClick={() => execution.refetch()}>
            Try again
          </Button>
        )}
      </Stack>
    );
  }
  return <ExecutionView execution={execution.data} live={live} />;
}

function ExecutionView({ execution, live }: { execution: ExecutionDetail; live: LiveStatus }) {
  const moving = !isTerminalStatus(execution.status);
  const now = useNow(moving ? 1_000 : 60_000);
  const shortId = execution.id.slice(0, 8);
  const runningFor =
    execution.startedAt && !execution.finishedAt ? now - execution.startedAt.getTime() : null;

  return (
    <Stack gap="8">
      <title>{`Execution ${shortId} · ${execution.workflowName} · AutomateOS`}</title>
      <Stack gap="4">
        <HStack gap="1.5" fontSize="sm" color="fg.muted" wrap="wrap">
          <Link asChild color="fg.muted">
            <RouterLink to={`/workflows/${execution.workflowId}`}>{execution.workflowName}</RouterLink>
          </Link>
          <Text aria-hidden>/</Text>
          <Link asChild color="fg.muted">
            <RouterLink to={`/workflows/${execution.workflowId}/executions`}>Executions</RouterLink>
          </Link>
        </HStack>
        <HStack justify="space-between" gap="4" wrap="wrap">
          <HStack gap="3" wrap="wrap">
            <Heading as="h1" size="2xl">
              Execution{' '}
              <Code fontSize="inherit" variant="plain" px="0">
                {shortId}
              </Code>
            </Heading>
            <ExecutionStatusBadge status={execution.status} />
            <Badge variant="outline">{execution.mode}</Badge>
            <LiveIndicator status={live} />
          </HStack>
          <RerunButton executionId={execution.id} />
        </HStack>

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
            <DataList.ItemValue>{execution.workflowVersion}</DataList.ItemValue>
          </DataList.Item>
        </DataList.Root>

        {execution.error && (
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
        )}
        {execution.status === 'filtered' && (
          <Alert.Root status="warning" variant="subtle">
            <Alert.Indicator />
            <Alert.Title>A Filter step stopped the chain: the steps after it did not run.</Alert.Title>
          </Alert.Root>
        )}
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
            <view.DataView data={execution.trigger} mode={execution.mode} />
          ) : (
            <JsonSection title="Data" value={execution.trigger} />
          )}
        </Card.Body>
      </Card.Root>
    </Stack>
  );
}

function RerunButton({ executionId }: { executionId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const rerun = useMutation(
    trpc.executions.rerun.mutationOptions({
      onSuccess: async ({ executionId: newId }) => {
        await queryClient.invalidateQueries(trpc.executions.list.pathFilter());
        navigate(`/executions/${newId}`);
      },
    }),
  );
  return (
    <Stack gap="1" align="end">
      <Button
        size="sm"
        variant="outline"
        onClick={() => rerun.mutate({ id: executionId })}
        loading={rerun.isPending}
      >
        Re-run
      </Button>
      {rerun.error && (
        <Text fontSize="xs" color="red.fg" role="alert">
          {describeError(rerun.error)}
        </Text>
      )}
    </Stack>
  );
}
