import type { AppRouter } from '@automateos/server/router';
import { DELIVERIES_KEPT, SHORT_ID_LENGTH } from '@automateos/shared';
import {
  Badge,
  Box,
  Button,
  Code,
  EmptyState,
  HStack,
  Link,
  Spinner,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import type { inferOutput, TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import { Fragment, useState } from 'react';
import { Link as RouterLink, useNavigate } from 'react-router';
import { HistoryIcon, PlayIcon } from '../../../components/icons';
import { LoadMore } from '../../../components/load-more';
import { RelativeTime } from '../../../components/relative-time';
import { toaster } from '../../../components/ui/toaster';
import { useTRPC } from '../../../lib/trpc';
import { describeError } from '../../executions/describe-error';
import { JsonView } from '../../executions/json-view';
import { LiveIndicator } from '../../live/live-indicator';
import { useLiveExecutions } from '../../live/use-live';

type Delivery = inferOutput<TRPCOptionsProxy<AppRouter>['webhooks']['deliveries']>['items'][number];

const PAGE_SIZE = 50;

const outcomeColor = (delivery: Delivery) =>
  delivery.outcome === 'accepted' ? 'green' : delivery.outcome === 'duplicate' ? 'blue' : 'red';

/**
 * The editor's "Deliveries" tab: every request to the workflow's webhook URL, accepted or refused,
 * newest first, read again whenever the database announces new ones. Like the executions list, each
 * page is fetched through the procedure's own query options under the infinite key.
 */
export function DeliveriesTab({ workflowId }: { workflowId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const input = { workflowId };
  const key = [...trpc.webhooks.deliveries.queryKey(input), 'pages'];
  const pages = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) =>
      queryClient.fetchQuery({
        ...trpc.webhooks.deliveries.queryOptions({
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
  const refresh = () => void queryClient.invalidateQueries({ queryKey: key });
  const live = useLiveExecutions({
    workflowId,
    onExecutions: () => {},
    onReset: refresh,
    onDeliveries: refresh,
  });
  const items = pages.data?.pages.flatMap((page) => page.items) ?? [];
  const [open, setOpen] = useState<string | null>(null);

  if (pages.isPending) return <Spinner m="6" />;
  if (pages.isError) return <Text color="fg.error">{describeError(pages.error)}</Text>;
  return (
    <Stack gap="4" pt="4">
      <HStack justify="space-between" wrap="wrap">
        <Text color="fg.muted" fontSize="sm">
          Every request to this workflow's webhook URL, accepted or refused (the newest {DELIVERIES_KEPT}).
          Secrets and signatures in headers are masked.
        </Text>
        <LiveIndicator status={live} />
      </HStack>
      {items.length === 0 ? (
        <EmptyState.Root>
          <EmptyState.Content>
            <EmptyState.Indicator>
              <HistoryIcon />
            </EmptyState.Indicator>
            <EmptyState.Title>No deliveries yet</EmptyState.Title>
            <EmptyState.Description>
              Requests to the webhook URL show up here as they arrive.
            </EmptyState.Description>
          </EmptyState.Content>
        </EmptyState.Root>
      ) : (
        <Table.ScrollArea borderWidth="1px" rounded="md">
          <Table.Root size="sm" aria-label="Webhook deliveries">
            <Table.Header>
              <Table.Row>
                <Table.ColumnHeader>Received</Table.ColumnHeader>
                <Table.ColumnHeader>Request</Table.ColumnHeader>
                <Table.ColumnHeader>Answer</Table.ColumnHeader>
                <Table.ColumnHeader>Reason</Table.ColumnHeader>
                <Table.ColumnHeader>Execution</Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {items.map((delivery) => (
                <Fragment key={delivery.id}>
                  <Table.Row
                    data-testid="delivery-row"
                    cursor="pointer"
                    onClick={() => setOpen(open === delivery.id ? null : delivery.id)}
                    aria-expanded={open === delivery.id}
                  >
                    <Table.Cell>
                      <RelativeTime date={new Date(delivery.receivedAt)} />
                    </Table.Cell>
                    <Table.Cell>
                      <Code size="sm">{delivery.method}</Code> {delivery.size} B
                    </Table.Cell>
                    <Table.Cell>
                      <Badge colorPalette={outcomeColor(delivery)}>
                        {delivery.statusCode} {delivery.outcome}
                      </Badge>
                    </Table.Cell>
                    <Table.Cell maxW="md" truncate>
                      {delivery.reason ?? '—'}
                    </Table.Cell>
                    <Table.Cell>
                      {delivery.executionId ? (
                        <Link asChild onClick={(event) => event.stopPropagation()}>
                          <RouterLink to={`/executions/${delivery.executionId}`}>
                            {delivery.executionId.slice(0, SHORT_ID_LENGTH)}
                          </RouterLink>
                        </Link>
                      ) : (
                        '—'
                      )}
                    </Table.Cell>
                  </Table.Row>
                  {open === delivery.id && (
                    <Table.Row>
                      <Table.Cell colSpan={5} bg="bg.subtle">
                        <DeliveryDetail delivery={delivery} />
                      </Table.Cell>
                    </Table.Row>
                  )}
                </Fragment>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}
      <LoadMore pages={pages} size="sm">
        Show older
      </LoadMore>
    </Stack>
  );
}

function DeliveryDetail({ delivery }: { delivery: Delivery }) {
  const trpc = useTRPC();
  const navigate = useNavigate();
  const replay = useMutation(
    trpc.webhooks.replayDelivery.mutationOptions({
      onSuccess: ({ executionId }) => navigate(`/executions/${executionId}`),
      onError: (error) =>
        toaster.error({ title: 'Could not replay the delivery', description: describeError(error) }),
    }),
  );
  return (
    <Stack gap="3" py="2">
      <HStack justify="space-between" wrap="wrap">
        <Code size="sm" wordBreak="break-all">
          {delivery.method} {delivery.url}
        </Code>
        <Button
          size="xs"
          variant="outline"
          loading={replay.isPending}
          onClick={() => replay.mutate({ id: delivery.id })}
        >
          <PlayIcon />
          Replay as test run
        </Button>
      </HStack>
      <JsonView label="Headers" value={delivery.headers} maxLines={30} />
      <Box>
        <Text fontSize="sm" fontWeight="medium" mb="1">
          Body{delivery.bodyTruncated ? ' (the start only)' : ''}
        </Text>
        <Code
          display="block"
          whiteSpace="pre-wrap"
          wordBreak="break-all"
          p="2"
          maxH="60"
          overflow="auto"
          data-testid="delivery-body"
        >
          {delivery.bodyPreview || '(empty)'}
        </Code>
      </Box>
      <JsonView label={`Answer (${delivery.statusCode})`} value={delivery.response} maxLines={30} />
    </Stack>
  );
}
