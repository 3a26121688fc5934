import { triggerTypes } from '@automateos/shared';
import { Badge, HStack, Link, Stack, Switch, Table, Text, VisuallyHidden } from '@chakra-ui/react';
import { Link as RouterLink } from 'react-router';
import { RelativeTime } from '../../../components/relative-time';
import { ExecutionStatusBadge } from '../../executions/execution-status-badge';
import { triggerViews } from '../../triggers/registry';
import { editorPath, executionsPath, useSetActive, type WorkflowListItem } from '../workflow-api';
import { WorkflowActionsMenu } from './workflow-actions-menu';

const stepCount = (count: number) => (count === 0 ? 'No steps' : count === 1 ? '1 step' : `${count} steps`);

export function WorkflowTable({ items }: { items: WorkflowListItem[] }) {
  return (
    <Table.ScrollArea borderWidth="1px" rounded="l3">
      <Table.Root size="sm" interactive>
        <Table.Header>
          <Table.Row bg="bg.subtle">
            <Table.ColumnHeader py="3">Name</Table.ColumnHeader>
            <Table.ColumnHeader w="24">Active</Table.ColumnHeader>
            <Table.ColumnHeader hideBelow="md">Trigger</Table.ColumnHeader>
            <Table.ColumnHeader hideBelow="md">Steps</Table.ColumnHeader>
            <Table.ColumnHeader>Last execution</Table.ColumnHeader>
            <Table.ColumnHeader hideBelow="lg">Updated</Table.ColumnHeader>
            <Table.ColumnHeader w="12">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {items.map((item) => (
            <WorkflowRow key={item.id} item={item} />
          ))}
        </Table.Body>
      </Table.Root>
    </Table.ScrollArea>
  );
}

function WorkflowRow({ item }: { item: WorkflowListItem }) {
  const setActive = useSetActive();
  // Shows the new position at once; the list refetch confirms it (or the toast explains why not).
  const active = setActive.isPending ? setActive.variables.active : item.active;
  return (
    <Table.Row>
      <Table.Cell py="3" maxW="xs">
        <Link asChild fontWeight="medium" colorPalette="blue" display="block" truncate title={item.name}>
          <RouterLink to={editorPath(item.id)}>{item.name}</RouterLink>
        </Link>
      </Table.Cell>
      <Table.Cell>
        <Switch.Root
          size="sm"
          colorPalette="green"
          checked={active}
          disabled={setActive.isPending}
          onCheckedChange={({ checked }) => setActive.mutate({ id: item.id, active: checked })}
        >
          <Switch.HiddenInput role="switch" />
          <Switch.Control />
          <Switch.Label>
            <VisuallyHidden>Active: {item.name}</VisuallyHidden>
          </Switch.Label>
        </Switch.Root>
      </Table.Cell>
      <Table.Cell hideBelow="md">
        <Stack gap="0.5" align="start">
          <Badge variant="surface" colorPalette="gray">
            {triggerTypes[item.trigger.type].title} ·{' '}
            {triggerViews[item.trigger.type].summary(item.trigger.config)}
          </Badge>
          {item.nextRunAt && (
            <Text fontSize="xs" color="fg.muted">
              Next run <RelativeTime date={item.nextRunAt} />
            </Text>
          )}
        </Stack>
      </Table.Cell>
      <Table.Cell hideBelow="md" color="fg.muted">
        {stepCount(item.stepCount)}
      </Table.Cell>
      <Table.Cell>
        {item.lastExecution ? (
          <HStack gap="2">
            <Link asChild aria-label={`Executions of ${item.name}: last ${item.lastExecution.status}`}>
              <RouterLink to={executionsPath(item.id)}>
                <ExecutionStatusBadge status={item.lastExecution.status} />
              </RouterLink>
            </Link>
            <RelativeTime date={item.lastExecution.createdAt} fontSize="sm" color="fg.muted" />
          </HStack>
        ) : (
          <Text fontSize="sm" color="fg.subtle">
            Never run
          </Text>
        )}
      </Table.Cell>
      <Table.Cell hideBelow="lg">
        <RelativeTime date={item.updatedAt} fontSize="sm" color="fg.muted" />
      </Table.Cell>
      <Table.Cell textAlign="end">
        <WorkflowActionsMenu id={item.id} name={item.name} />
      </Table.Cell>
    </Table.Row>
  );
}
