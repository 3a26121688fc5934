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
import { keepPreviousData, useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link as RouterLink, useSearchParams } from 'react-router';
import { PlusIcon, SearchIcon, WorkflowIcon } from '../../../components/icons';
import { LoadFailed } from '../../../components/load-failed';
import { LoadMore } from '../../../components/load-more';
import { PageHeader } from '../../../components/page-header';
import { useTRPC } from '../../../lib/trpc';
import { withLastExecution } from '../../live/cache';
import { LiveIndicator } from '../../live/live-indicator';
import { useLiveExecutions } from '../../live/use-live';
import { NEW_WORKFLOW_PATH } from '../workflow-api';
import { ImportWorkflowButton } from './import-workflow-button';
import { WorkflowTable } from './workflow-table';

const SEARCH_DELAY_MS = 250;

/**
 * The user's workflows matching the search, a page at a time (most recently changed first), each
 * with its last execution kept current by live updates. Each page is fetched through the
 * procedure's own query options under the infinite key, as the execution history does, so
 * invalidating `workflows.list` refetches every page loaded.
 */
function useWorkflowPages(search: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = search ? { search } : {};
  const key = trpc.workflows.list.infiniteQueryKey(input);
  const pages = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery({
        ...trpc.workflows.list.queryOptions({ ...input, ...(pageParam ? { cursor: pageParam } : {}) }),
        staleTime: 0,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => page.nextCursor,
    placeholderData: keepPreviousData,
  });
  const live = useLiveExecutions({
    onExecutions: (summaries) => {
      queryClient.setQueryData(
        key,
        (data) =>
          data && {
            ...data,
            pages: data.pages.map((page) => ({
              ...page,
              items: summaries.reduce(withLastExecution, page.items),
            })),
          },
      );
      // A slot has fired: its schedule's next run moved on, which only the list knows.
      if (summaries.some((summary) => summary.scheduledFor && summary.status === 'queued')) {
        void queryClient.invalidateQueries(trpc.workflows.list.pathFilter());
      }
    },
    onReset: () => void queryClient.invalidateQueries(trpc.workflows.list.pathFilter()),
  });
  return { pages, live };
}

export function DashboardPage() {
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

  const { pages: list, live } = useWorkflowPages(search);
  const items = list.data?.pages.flatMap((page) => page.items);
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
            <Stack gap="4">
              <WorkflowTable items={items} />
              <LoadMore pages={list} />
            </Stack>
          )}
        </Stack>
      )}
    </Stack>
  );
}
