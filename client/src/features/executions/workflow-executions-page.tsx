import {
  type ExecutionStatus,
  executionStatuses,
  isTerminalStatus,
  type ListExecutionsInput,
} from '@automateos/shared';
import {
  Alert,
  Badge,
  Button,
  EmptyState,
  Heading,
  HStack,
  Link,
  NativeSelect,
  Spinner,
  Stack,
  Table,
  Text,
  VStack,
} from '@chakra-ui/react';
import { useInfiniteQuery, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link as RouterLink, useNavigate, useParams, useSearchParams } from 'react-router';
import { HistoryIcon } from '../../components/icons';
import { LoadMore } from '../../components/load-more';
import { PageHeader } from '../../components/page-header';
import { formatExact, formatRelativeTime } from '../../lib/relative-time';
import { apiErrorCode, useTRPC } from '../../lib/trpc';
import { useNow } from '../../lib/use-now';
import { withListedExecution } from '../live/cache';
import { LiveIndicator } from '../live/live-indicator';
import { useLiveExecutions } from '../live/use-live';
import { triggerViewOf } from '../triggers/registry';
import { editorPath } from '../workflows/workflow-api';
import { describeError } from './describe-error';
import { ExecutionStatusBadge } from './execution-status-badge';
import { formatDuration } from './format';
import { modeLabel } from './outcome';
import { RunButton } from './run-now-button';
import type { ExecutionSummary, Workflow } from './types';

const PAGE_SIZE = 20;
// The scroll area draws the outer border; the last row's own border would double it.
const lastRowWithoutBorder = { '& tbody tr:last-of-type td': { borderBottomWidth: '0' } };

const isStatus = (value: string | null): value is ExecutionStatus =>
  executionStatuses.some((status) => status === value);

/**
 * The executions of one workflow, newest first, a page at a time, kept current by live updates:
 * new executions appear on top and statuses change in place.
 *
 * Not tRPC's `infiniteQueryOptions`: it adds a `direction` field to the input, which the strict
 * `listExecutionsInput` rejects. Each page is fetched through the procedure's own query options
 * instead, under the infinite key, so invalidating `executions.list` still reaches this list.
 */
function useExecutionPages(input: Omit<ListExecutionsInput, 'cursor' | 'limit'>) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = trpc.executions.list.infiniteQueryKey(input);
  const pages = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery({
        ...trpc.executions.list.queryOptions({
          ...input,
          limit: PAGE_SIZE,
          ...(pageParam ? { cursor: pageParam } : {}),
        }),
        staleTime: 0,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    staleTime: 0,
  });
  const live = useLiveExecutions({
    workflowId: input.workflowId,
    onExecutions: (summaries) =>
      queryClient.setQueryData(
        key,
        (data) =>
          data && summaries.reduce((pages, summary) => withListedExecution(pages, summary, input), data),
      ),
    onReset: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  return { pages, live };
}

export function WorkflowExecutionsPage() {
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const statusParam = params.get('status');
  const status = isStatus(statusParam) ? statusParam : undefined;
  const trpc = useTRPC();
  const workflow = useQuery(trpc.workflows.get.queryOptions({ id }));
  const { pages: executions, live } = useExecutionPages({ workflowId: id, ...(status ? { status } : {}) });
  const items = executions.data?.pages.flatMap((page) => page.items) ?? [];
  const moving = items.some((item) => !isTerminalStatus(item.status));

  const setStatus = (value: string) => {
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        if (isStatus(value)) next.set('status', value);
        else next.delete('status');
        return next;
      },
      { replace: true },
    );
  };

  const workflowMissing = ['NOT_FOUND', 'BAD_REQUEST'].includes(apiErrorCode(workflow.error) ?? '');
  if (workflowMissing) return <WorkflowNotFound />;

  const name = workflow.data?.name;
  return (
    <Stack gap="6">
      <title>{`Executions${name ? ` · ${name}` : ''} · AutomateOS`}</title>
      <PageHeader
        trail={[
          { label: 'Workflows', to: '/' },
          { label: name ?? 'Workflow', to: editorPath(id) },
        ]}
        title="Executions"
        badges={<LiveIndicator status={live} />}
        actions={
          <>
            <NativeSelect.Root size="sm" w="44">
              <NativeSelect.Field
                aria-label="Status"
                value={status ?? ''}
                onChange={(event) => setStatus(event.currentTarget.value)}
              >
                <option value="">All statuses</option>
                {executionStatuses.map((value) => (
                  <option key={value} value={value}>
                    {value[0]?.toUpperCase()}
                    {value.slice(1)}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
            <RunButton workflowId={id} triggerType={workflow.data?.definition.trigger.type} />
          </>
        }
      />

      {executions.isPending ? (
        <HStack justify="center" py="12">
          <Spinner color="fg.muted" aria-label="Loading executions" />
        </HStack>
      ) : executions.isError ? (
        <Alert.Root status="error">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>Could not load the executions.</Alert.Title>
            <Alert.Description>{describeError(executions.error)}</Alert.Description>
          </Alert.Content>
          <Button size="sm" variant="outline" onClick={() => executions.refetch()}>
            Try again
          </Button>
        </Alert.Root>
      ) : items.length === 0 ? (
        status ? (
          <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3">
            <EmptyState.Content>
              <EmptyState.Title as="h2">No {status} executions</EmptyState.Title>
              <Button variant="outline" size="sm" onClick={() => setStatus('')}>
                Show all executions
              </Button>
            </EmptyState.Content>
          </EmptyState.Root>
        ) : (
          <NoExecutionsYet workflow={workflow.data} />
        )
      ) : (
        <Stack gap="4">
          <ExecutionsTable items={items} moving={moving} />
          <LoadMore pages={executions} />
        </Stack>
      )}
    </Stack>
  );
}

function ExecutionsTable({ items, moving }: { items: ExecutionSummary[]; moving: boolean }) {
  const navigate = useNavigate();
  // Running durations tick every second.
  const now = useNow(moving ? 1_000 : 15_000);
  return (
    <Table.ScrollArea borderWidth="1px" rounded="l3">
      <Table.Root size="sm" interactive css={lastRowWithoutBorder}>
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Status</Table.ColumnHeader>
            <Table.ColumnHeader>Execution</Table.ColumnHeader>
            <Table.ColumnHeader>Mode</Table.ColumnHeader>
            <Table.ColumnHeader>Started</Table.ColumnHeader>
            <Table.ColumnHeader textAlign="end">Duration</Table.ColumnHeader>
            <Table.ColumnHeader>Error</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {items.map((item) => {
            const started = item.startedAt ?? item.createdAt;
            const running = item.status === 'running' && item.startedAt;
            return (
              <Table.Row
                key={item.id}
                data-execution-id={item.id}
                cursor="pointer"
                onClick={(event) => {
                  // The link handles its own clicks (and middle/ctrl-clicks into new tabs).
                  if (!(event.target instanceof Element && event.target.closest('a'))) {
                    navigate(`/executions/${item.id}`);
                  }
                }}
              >
                <Table.Cell>
                  <ExecutionStatusBadge status={item.status} />
                </Table.Cell>
                <Table.Cell>
                  <Link asChild fontFamily="mono" fontSize="xs" colorPalette="blue" color="colorPalette.fg">
                    <RouterLink to={`/executions/${item.id}`}>{item.id.slice(0, 8)}</RouterLink>
                  </Link>
                </Table.Cell>
                <Table.Cell>
                  <HStack gap="1.5">
                    <Badge variant="outline">{modeLabel(item.mode)}</Badge>
                    {item.scheduledFor && (
                      <Text as="span" fontSize="xs" color="fg.muted" title={formatExact(item.scheduledFor)}>
                        slot {formatExact(item.scheduledFor)}
                      </Text>
                    )}
                  </HStack>
                </Table.Cell>
                <Table.Cell>
                  <Text as="span" title={formatExact(started)}>
                    {item.startedAt
                      ? formatRelativeTime(started, now)
                      : `queued ${formatRelativeTime(started, now)}`}
                  </Text>
                </Table.Cell>
                <Table.Cell textAlign="end" fontVariantNumeric="tabular-nums" whiteSpace="nowrap">
                  {running ? `${formatDuration(now - running.getTime())}…` : formatDuration(item.durationMs)}
                </Table.Cell>
                <Table.Cell maxW="xs">
                  {item.error && (
                    <Text truncate color="red.fg" fontSize="xs" title={item.error.message}>
                      {item.error.message}
                    </Text>
                  )}
                </Table.Cell>
              </Table.Row>
            );
          })}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

function NoExecutionsYet({ workflow }: { workflow: Workflow | undefined }) {
  const Instructions = workflow && triggerViewOf(workflow.definition.trigger.type)?.Instructions;
  return (
    <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3">
      <EmptyState.Content>
        <EmptyState.Indicator>
          <HistoryIcon />
        </EmptyState.Indicator>
        <VStack textAlign="center">
          <EmptyState.Title as="h2">No executions yet</EmptyState.Title>
          <EmptyState.Description maxW="xl">
            Every time this workflow's trigger fires, it runs as an execution, listed here with what each step
            received and produced. Use <strong>Test run</strong> to try it with a payload of your own.
          </EmptyState.Description>
        </VStack>
        {workflow && !workflow.active && (
          <Alert.Root status="warning" maxW="2xl" size="sm">
            <Alert.Indicator />
            <Alert.Title>
              This workflow is switched off: its trigger does not start it until you switch it on in the
              editor.
            </Alert.Title>
          </Alert.Root>
        )}
        {workflow && Instructions && <Instructions workflow={workflow} />}
      </EmptyState.Content>
    </EmptyState.Root>
  );
}

function WorkflowNotFound() {
  return (
    <Stack gap="4" align="start">
      <title>Workflow not found · AutomateOS</title>
      <Heading as="h1" size="2xl">
        Workflow not found
      </Heading>
      <Text color="fg.muted">It may have been deleted, or the link is mistyped.</Text>
      <Button asChild variant="outline">
        <RouterLink to="/">Go to your workflows</RouterLink>
      </Button>
    </Stack>
  );
}
