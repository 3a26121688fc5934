import {
  Button,
  EmptyState,
  HStack,
  Input,
  InputGroup,
  Skeleton,
  Stack,
  Text,
  VStack,
} from '@chakra-ui/react';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { PlusIcon, SearchIcon, WorkflowIcon } from '../../../components/icons';
import { LoadFailed } from '../../../components/load-failed';
import { PageHeader } from '../../../components/page-header';
import { useTRPC } from '../../../lib/trpc';
import { withLastExecution } from '../../live/cache';
import { LiveIndicator } from '../../live/live-indicator';
import { useLiveExecutions } from '../../live/use-live';
import { NEW_WORKFLOW_PATH } from '../workflow-api';
import { ImportWorkflowButton } from './import-workflow-button';
import { WorkflowTable } from './workflow-table';

const SEARCH_DELAY_MS = 250;

export function DashboardPage() {
  const trpc = useTRPC();
  // The search lives in the address, so coming back from the editor keeps it.
  const [params, setParams] = useSearchParams();
  const search = params.get('q') ?? '';
  const [typed, setTyped] = useState(search);

  useEffect(() => {
    const timer = setTimeout(() => {
      if (typed.trim() === search) return;
      setParams(typed.trim() ? { q: typed.trim() } : {}, { replace: true });
    }, SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed, search, setParams]);

  const input = search ? { search } : {};
  const list = useQuery({ ...trpc.workflows.list.queryOptions(input), placeholderData: keepPreviousData });
  // Each workflow's last execution follows the executions as they are created and finish.
  const queryClient = useQueryClient();
  const live = useLiveExecutions({
    onExecutions: (summaries) => {
      queryClient.setQueryData(
        trpc.workflows.list.queryKey(input),
        (data) => data && { ...data, items: summaries.reduce(withLastExecution, data.items) },
      );
      // A slot has fired: its schedule's next run moved on, which only the list knows.
      if (summaries.some((summary) => summary.scheduledFor && summary.status === 'queued')) {
        void queryClient.invalidateQueries(trpc.workflows.list.pathFilter());
      }
    },
    onReset: () => void queryClient.invalidateQueries(trpc.workflows.list.pathFilter()),
  });
  const items = list.data?.items;
  const noWorkflowsAtAll = items?.length === 0 && !search;

  const newButton = (
    <Button asChild colorPalette="blue">
      <RouterLink to={NEW_WORKFLOW_PATH}>
        <PlusIcon />
        New workflow
      </RouterLink>
    </Button>
  );

  return (
    <Stack gap="6">
      <title>Workflows · AutomateOS</title>
      <PageHeader
        title="Workflows"
        badges={items && items.length > 0 && <LiveIndicator status={live} />}
        actions={
          !noWorkflowsAtAll && (
            <>
              <ImportWorkflowButton />
              {newButton}
            </>
          )
        }
      />

      {list.isError && !items ? (
        <LoadFailed
          title="Could not load your workflows"
          error={list.error}
          retrying={list.isFetching}
          onRetry={() => list.refetch()}
        />
      ) : !items ? (
        <Stack gap="3" aria-busy="true" aria-label="Loading workflows">
          <Skeleton height="10" />
          <Skeleton height="14" />
          <Skeleton height="14" />
        </Stack>
      ) : noWorkflowsAtAll ? (
        <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3">
          <EmptyState.Content>
            <EmptyState.Indicator>
              <WorkflowIcon />
            </EmptyState.Indicator>
            <VStack textAlign="center">
              <EmptyState.Title as="h2">No workflows yet</EmptyState.Title>
              <EmptyState.Description maxW="md">
                A workflow runs a chain of steps every time its webhook receives a request. Create one, or
                import a workflow you exported before.
              </EmptyState.Description>
            </VStack>
            <HStack gap="2">
              <ImportWorkflowButton />
              {newButton}
            </HStack>
          </EmptyState.Content>
        </EmptyState.Root>
      ) : (
        <Stack gap="4">
          <InputGroup startElement={<SearchIcon boxSize="4" />} maxW={{ md: 'sm' }}>
            <Input
              type="search"
              placeholder="Search by name"
              aria-label="Search workflows by name"
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
            />
          </InputGroup>
          {items.length === 0 ? (
            <Text color="fg.muted" py="8" textAlign="center">
              No workflows match “{search}”.
            </Text>
          ) : (
            <WorkflowTable items={items} />
          )}
        </Stack>
      )}
    </Stack>
  );
}
