import { type CreateTokenInput, createTokenInput, tokenExpiryChoices, tokenScopes } from '@automateos/shared';
import {
  Alert,
  Badge,
  Button,
  Code,
  Field,
  Heading,
  HStack,
  Input,
  NativeSelect,
  Skeleton,
  Stack,
  Table,
  Text,
  VisuallyHidden,
} from '@chakra-ui/react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { CopyButton } from '../../components/copy-button';
import { LoadFailed } from '../../components/load-failed';
import { RelativeTime } from '../../components/relative-time';
import { toaster } from '../../components/ui/toaster';
import { type ApiToken, useCreateToken, useRevokeToken, useTokens } from './tokens-api';

const scopeLabels: Record<(typeof tokenScopes)[number], string> = {
  read: 'Read only',
  'read-write': 'Read and write',
};

/** Route `/settings/tokens`: personal access tokens for scripts and the CLI. */
export function TokensPage() {
  const list = useTokens();
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const items = list.data?.items;
  return (
    <Stack gap="6">
      <title>API tokens · AutomateOS</title>
      <Stack gap="1">
        <Heading as="h1" size="2xl">
          API tokens
        </Heading>
        <Text color="fg.muted" fontSize="sm">
          For scripts, CI and the <Code>automateos</Code> CLI: send one as{' '}
          <Code>Authorization: Bearer aos_…</Code> to the REST API (<a href="/api/docs">/api/docs</a>) or run{' '}
          <Code>npx automateos login</Code>. A token is shown once and stored only as a hash.
        </Text>
      </Stack>
      <CreateToken />
      {list.isError && !items ? (
        <LoadFailed
          title="Could not load your tokens"
          error={list.error}
          retrying={list.isFetching}
          onRetry={() => list.refetch()}
        />
      ) : !items ? (
        <Skeleton height="14" aria-busy="true" aria-label="Loading tokens" />
      ) : items.length === 0 ? (
        <Text color="fg.muted">No tokens yet.</Text>
      ) : (
        <Table.ScrollArea borderWidth="1px" rounded="l3">
          <Table.Root size="sm" aria-label="API tokens">
            <Table.Header>
              <Table.Row bg="bg.subtle">
                <Table.ColumnHeader py="3">Name</Table.ColumnHeader>
                <Table.ColumnHeader>Scope</Table.ColumnHeader>
                <Table.ColumnHeader>Expires</Table.ColumnHeader>
                <Table.ColumnHeader>Last used</Table.ColumnHeader>
                <Table.ColumnHeader w="28">
                  <VisuallyHidden>Actions</VisuallyHidden>
                </Table.ColumnHeader>
              </Table.Row>
            </Table.Header>
            <Table.Body>
              {items.map((token) => (
                <Table.Row key={token.id}>
                  <Table.Cell py="3">
                    <Text fontWeight="medium">{token.name}</Text>
                    <Code fontSize="xs">{token.prefix}…</Code>
                  </Table.Cell>
                  <Table.Cell>{scopeLabels[token.scope]}</Table.Cell>
                  <Table.Cell fontSize="sm">
                    {token.revokedAt ? (
                      <Badge colorPalette="red">Revoked</Badge>
                    ) : token.expiresAt ? (
                      <RelativeTime date={token.expiresAt} />
                    ) : (
                      'Never'
                    )}
                  </Table.Cell>
                  <Table.Cell fontSize="sm" color="fg.muted">
                    {token.lastUsedAt ? <RelativeTime date={token.lastUsedAt} /> : 'Never'}
                  </Table.Cell>
                  <Table.Cell textAlign="end">
                    {!token.revokedAt && (
                      <Button
                        size="xs"
                        variant="outline"
                        colorPalette="red"
                        onClick={() => setRevoking(token)}
                      >
                        Revoke
                      </Button>
                    )}
                  </Table.Cell>
                </Table.Row>
              ))}
            </Table.Body>
          </Table.Root>
        </Table.ScrollArea>
      )}
      <RevokeToken token={revoking} onClose={() => setRevoking(null)} />
    </Stack>
  );
}

function CreateToken() {
  const create = useCreateToken();
  const [created, setCreated] = useState<string | null>(null);
  const form = useForm<CreateTokenInput>({
    resolver: zodResolver(createTokenInput),
    defaultValues: { name: '', scope: 'read-write', expiresInDays: 90 },
  });
  const submit = form.handleSubmit((input) =>
    create.mutate(input, {
      onSuccess: (token) => {
        setCreated(token.token);
        form.reset();
      },
      onError: (error) => toaster.error({ title: 'Could not create the token', description: error.message }),
    }),
  );
  const { errors } = form.formState;
  return (
    <Stack gap="4" borderWidth="1px" rounded="l3" p="4">
      <form onSubmit={submit} aria-label="New token">
        <HStack gap="3" align="end" wrap="wrap">
          <Field.Root invalid={!!errors.name} maxW="xs">
            <Field.Label>Name</Field.Label>
            <Input placeholder="CI deploys" {...form.register('name')} />
            <Field.ErrorText>{errors.name?.message}</Field.ErrorText>
          </Field.Root>
          <Field.Root maxW="44">
            <Field.Label>Scope</Field.Label>
            <NativeSelect.Root>
              <NativeSelect.Field {...form.register('scope')}>
                {tokenScopes.map((scope) => (
                  <option key={scope} value={scope}>
                    {scopeLabels[scope]}
                  </option>
                ))}
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
          <Field.Root maxW="36">
            <Field.Label>Expires after</Field.Label>
            <NativeSelect.Root>
              <NativeSelect.Field
                {...form.register('expiresInDays', {
                  setValueAs: (value) => (value === '' ? undefined : Number(value)),
                })}
              >
                {tokenExpiryChoices.map((days) => (
                  <option key={days} value={days}>
                    {days} days
                  </option>
                ))}
                <option value="">Never</option>
              </NativeSelect.Field>
              <NativeSelect.Indicator />
            </NativeSelect.Root>
          </Field.Root>
          <Button type="submit" colorPalette="blue" loading={create.isPending}>
            Create token
          </Button>
        </HStack>
      </form>
      {created && (
        <Alert.Root status="success">
          <Alert.Indicator />
          <Alert.Content gap="2">
            <Alert.Title>Copy your new token now: it is not shown again.</Alert.Title>
            <HStack>
              <Code data-testid="new-token" wordBreak="break-all">
                {created}
              </Code>
              <CopyButton text={created} label="Copy token" size="xs" />
            </HStack>
          </Alert.Content>
        </Alert.Root>
      )}
    </Stack>
  );
}

function RevokeToken({ token, onClose }: { token: ApiToken | null; onClose: () => void }) {
  const revoke = useRevokeToken();
  return (
    <ConfirmDialog
      open={token !== null}
      title={`Revoke ${token?.name}?`}
      confirmLabel="Revoke"
      destructive
      pending={revoke.isPending}
      onCancel={onClose}
      onConfirm={() => {
        if (!token) return onClose();
        revoke.mutate(
          { id: token.id },
          {
            onSuccess: () => toaster.success({ title: 'Token revoked', description: token.name }),
            onError: (error) =>
              toaster.error({ title: 'Could not revoke the token', description: error.message }),
            onSettled: onClose,
          },
        );
      }}
    >
      <Text>Scripts and CLIs using it stop working at once. This cannot be undone.</Text>
    </ConfirmDialog>
  );
}
