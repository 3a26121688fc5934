import { type CredentialType, credentialTypeNames, credentialTypes } from '@automateos/shared';
import {
  Badge,
  Button,
  EmptyState,
  HStack,
  IconButton,
  Link,
  List,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
  VStack,
} from '@chakra-ui/react';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { EditIcon, KeyIcon, PlayIcon, PlusIcon, TrashIcon } from '../../components/icons';
import { LoadFailed } from '../../components/load-failed';
import { PageHeader } from '../../components/page-header';
import { RelativeTime } from '../../components/relative-time';
import { toaster } from '../../components/ui/toaster';
import { editorPath } from '../workflows/workflow-api';
import { CredentialDialog, type CredentialDialogMode } from './credential-dialog';
import { type Credential, useCredentials, useDeleteCredential, useTestCredential } from './credentials-api';
import { credentialViews } from './registry';

/** Route `/credentials`: every credential of the user, what uses it, and what can be done with it. */
export function CredentialsPage() {
  const list = useCredentials();
  const [dialog, setDialog] = useState<CredentialDialogMode | null>(null);
  const [deleting, setDeleting] = useState<Credential | null>(null);
  const items = list.data?.items;
  const create = () => setDialog({ kind: 'create', types: credentialTypeNames });

  return (
    <Stack gap="6">
      <title>Credentials · AutomateOS</title>
      <Stack gap="1">
        <PageHeader
          title="Credentials"
          actions={
            items &&
            items.length > 0 && (
              <Button colorPalette="blue" onClick={create}>
                <PlusIcon />
                New credential
              </Button>
            )
          }
        />
        <Text color="fg.muted" fontSize="sm">
          Stored once, encrypted, and used by id: steps never show them, and the execution log never records
          them.
        </Text>
      </Stack>

      {list.isError && !items ? (
        <LoadFailed
          title="Could not load your credentials"
          error={list.error}
          retrying={list.isFetching}
          onRetry={() => list.refetch()}
        />
      ) : !items ? (
        <Stack gap="3" aria-busy="true" aria-label="Loading credentials">
          <Skeleton height="10" />
          <Skeleton height="14" />
        </Stack>
      ) : items.length === 0 ? (
        <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3">
          <EmptyState.Content>
            <EmptyState.Indicator>
              <KeyIcon />
            </EmptyState.Indicator>
            <VStack textAlign="center">
              <EmptyState.Title as="h2">No credentials yet</EmptyState.Title>
              <EmptyState.Description maxW="md">
                Store an API token, a password or a signing secret once, then pick it in any step. Nobody sees
                it again, you included.
              </EmptyState.Description>
            </VStack>
            <Button colorPalette="blue" onClick={create}>
              <PlusIcon />
              New credential
            </Button>
          </EmptyState.Content>
        </EmptyState.Root>
      ) : (
        <Table.ScrollArea borderWidth="1px" rounded="l3">
          <Table.Root size="sm">
            <Table.Header>
              <Table.Row bg="bg.subtle">
                <Table.ColumnHeader py="3">Name</Table.ColumnHeader>
                <Table.ColumnHeader hideBelow="md">Type</Table.ColumnHeader>
                <Table.ColumnHeader>Used by</Table.ColumnHeader>
                <Table.ColumnHeader hideBelow="lg">Last used</Table.ColumnHeader>
                <Table.ColumnHeader w="36">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {items.map((credential) => (
                <CredentialRow
                  key={credential.id}
                  credential={credential}
                  onEdit={() => setDialog({ kind: 'edit', credential })}
                  onDelete={() => setDeleting(credential)}
                />
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}

      <CredentialDialog mode={dialog} onClose={() => setDialog(null)} />
      <DeleteCredential credential={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function TypeBadge({ type }: { type: CredentialType }) {
  const view = credentialViews[type];
  return (
    <Badge variant="surface" colorPalette={view.palette} gap="1.5">
      <view.icon boxSize="3.5" />
      {credentialTypes[type].title}
    </Badge>
  );
}

function CredentialRow({
  credential,
  onEdit,
  onDelete,
}: {
  credential: Credential;
  onEdit: () => void;
  onDelete: () => void;
}) {
  const test = useTestCredential();
  const view = credentialViews[credential.type];
  const testable = credentialTypes[credential.type].test !== undefined;
  const runTest = () =>
    test.mutate(
      { id: credential.id },
      {
        onSuccess: ({ ok, message }) =>
          ok
            ? toaster.success({ title: `${credential.name} works`, description: message })
            : toaster.error({ title: `${credential.name} did not work`, description: message }),
        onError: (error) =>
          toaster.error({ title: 'Could not test the credential', description: error.message }),
      },
    );
  return (
    <Table.Row>
      <Table.Cell py="3" maxW="xs">
        <HStack gap="3">
          <view.icon boxSize="5" color={`${view.palette}.fg`} flexShrink={0} aria-hidden />
          <Stack gap="0" minW="0">
            <Text fontWeight="medium" truncate title={credential.name}>
              {credential.name}
            </Text>
            <Text fontSize="xs" color="fg.muted" truncate>
              {view.summary(credential.data, credential.storedSecrets)}
            </Text>
          </Stack>
        </HStack>
      </Table.Cell>
      <Table.Cell hideBelow="md">
        <TypeBadge type={credential.type} />
      </Table.Cell>
      <Table.Cell>
        {credential.usedBy.length === 0 ? (
          <Text color="fg.muted" fontSize="sm">
            No workflow
          </Text>
        ) : (
          <Stack gap="0.5">
            {credential.usedBy.slice(0, 3).map((workflow) => (
              <Link key={workflow.id} asChild fontSize="sm" colorPalette="blue" truncate maxW="xs">
                <RouterLink to={editorPath(workflow.id)}>{workflow.name}</RouterLink>
              </Link>
            ))}
            {credential.usedBy.length > 3 && (
              <Text fontSize="xs" color="fg.muted">
                and {credential.usedBy.length - 3} more
              </Text>
            )}
          </Stack>
        )}
      </Table.Cell>
      <Table.Cell hideBelow="lg" color="fg.muted" fontSize="sm">
        {credential.lastUsedAt ? <RelativeTime date={credential.lastUsedAt} /> : 'Never'}
      </Table.Cell>
      <Table.Cell>
        <HStack gap="1" justify="end">
          {testable && (
            <Button size="xs" variant="outline" onClick={runTest} loading={test.isPending}>
              <PlayIcon />
              Test
            </Button>
          )}
          <IconButton size="xs" variant="ghost" aria-label={`Edit ${credential.name}`} onClick={onEdit}>
            <EditIcon />
          </IconButton>
          <IconButton size="xs" variant="ghost" aria-label={`Delete ${credential.name}`} onClick={onDelete}>
            <TrashIcon />
          </IconButton>
        </HStack>
      </Table.Cell>
    </Table.Row>
  );
}

/** Asks first; a credential some workflow still uses is not offered for deletion at all. */
function DeleteCredential({ credential, onClose }: { credential: Credential | null; onClose: () => void }) {
  const remove = useDeleteCredential();
  const usedBy = credential?.usedBy ?? [];
  const inUse = usedBy.length > 0;
  return (
    <ConfirmDialog
      open={credential !== null}
      title={inUse ? `${credential?.name} is in use` : `Delete ${credential?.name}?`}
      confirmLabel={inUse ? 'Close' : 'Delete'}
      destructive={!inUse}
      pending={remove.isPending}
      onCancel={onClose}
      onConfirm={() => {
        if (!credential || inUse) return onClose();
        remove.mutate(
          { id: credential.id },
          {
            onSuccess: () => {
              toaster.success({ title: 'Credential deleted', description: credential.name });
              onClose();
            },
            // A workflow may have started using it since the list was loaded: the answer says which.
            onError: (error) => {
              toaster.error({ title: 'Could not delete the credential', description: error.message });
              onClose();
            },
          },
        );
      }}
    >
      {inUse ? (
        <Stack gap="2">
          <Text>Change these workflows to use another credential first:</Text>
          <List.Root ps="5">
            {usedBy.map((workflow) => (
              <List.Item key={workflow.id}>
                <Link asChild colorPalette="blue">
                  <RouterLink to={editorPath(workflow.id)}>{workflow.name}</RouterLink>
                </Link>
              </List.Item>
            ))}
          </List.Root>
        </Stack>
      ) : (
        <Text>Steps can no longer use it, and its secret is gone for good. This cannot be undone.</Text>
      )}
    </ConfirmDialog>
  );
}
