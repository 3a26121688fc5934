import {
  type CreateWorkflowInput,
  credentialTypes,
  type ImportedCredential,
  withCredentialIds,
} from '@automateos/shared';
import { Button, CloseButton, Dialog, Field, Portal, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { CredentialPicker } from '../../credentials/credential-picker';
import { type Credential, useCredentials } from '../../credentials/credentials-api';

export interface PendingImport {
  fileName: string;
  workflow: CreateWorkflowInput;
  credentials: ImportedCredential[];
}

/** The user's credential an imported reference most likely means: same name and type, or the very id. */
function likelyMatch(reference: ImportedCredential, mine: readonly Credential[]): string | undefined {
  const fitting = mine.filter((credential) => reference.types.includes(credential.type));
  const { described } = reference;
  const match = described
    ? fitting.find(
        (credential) =>
          credential.name.toLowerCase() === described.name.toLowerCase() &&
          credential.type === described.type,
      )
    : fitting.find((credential) => credential.id === reference.ref);
  return match?.id;
}

const stepList = (steps: number[], trigger: boolean) => {
  const named =
    steps.length === 0
      ? []
      : [
          steps.length === 1
            ? `step ${(steps[0] ?? 0) + 1}`
            : `steps ${steps.map((step) => step + 1).join(', ')}`,
        ];
  return [...(trigger ? ['the trigger'] : []), ...named].join(' and ');
};

/**
 * An imported workflow names credentials by name (or by an id from another account): each is
 * mapped to one of the user's own, or created on the spot, before the workflow is created.
 */
export function MapCredentialsDialog({
  pending,
  importing,
  onCancel,
  onImport,
}: {
  pending: PendingImport | null;
  importing: boolean;
  onCancel: () => void;
  onImport: (workflow: CreateWorkflowInput) => void;
}) {
  return (
    <Dialog.Root
      open={pending !== null}
      onOpenChange={(details) => !details.open && onCancel()}
      placement="center"
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          {/* Mounted while open: the credentials are loaded when an import needs them, fresh each time. */}
          {pending && (
            <Choices pending={pending} importing={importing} onCancel={onCancel} onImport={onImport} />
          )}
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

function Choices({
  pending,
  importing,
  onCancel,
  onImport,
}: {
  pending: PendingImport;
  importing: boolean;
  onCancel: () => void;
  onImport: (workflow: CreateWorkflowInput) => void;
}) {
  const list = useCredentials();
  const [chosen, setChosen] = useState<Record<string, string | undefined>>({});
  const mine = list.data?.items ?? [];
  const references = pending.credentials;
  const choiceOf = (reference: ImportedCredential) =>
    reference.ref in chosen ? chosen[reference.ref] : likelyMatch(reference, mine);
  const complete = references.every((reference) => choiceOf(reference) !== undefined);
  return (
    <Dialog.Content>
      <Dialog.Header>
        <Dialog.Title>Choose the credentials</Dialog.Title>
      </Dialog.Header>
      <Dialog.Body>
        <Stack gap="4">
          <Text color="fg.muted" wordBreak="break-all">
            {pending.fileName}
          </Text>
          <Text>
            This workflow uses {references.length === 1 ? 'a credential' : `${references.length} credentials`}
            . Export files never hold their secrets: pick one of yours for each, or create it.
          </Text>
          {references.map((reference) => {
            const { described } = reference;
            const label = described
              ? `${described.name} (${credentialTypes[described.type].title})`
              : `The credential ${reference.ref.slice(0, 8)}… (named by id)`;
            return (
              <Field.Root key={reference.ref}>
                <Field.Label>{label}</Field.Label>
                <CredentialPicker
                  aria-label={`Credential for ${label}`}
                  types={reference.types}
                  value={choiceOf(reference)}
                  optional={false}
                  suggested={described}
                  onChange={(id) => setChosen((current) => ({ ...current, [reference.ref]: id }))}
                />
                <Field.HelperText>Used by {stepList(reference.steps, reference.trigger)}.</Field.HelperText>
              </Field.Root>
            );
          })}
        </Stack>
      </Dialog.Body>
      <Dialog.Footer>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button
          colorPalette="blue"
          disabled={!complete}
          loading={importing}
          onClick={() => {
            const ids = new Map(references.map((reference) => [reference.ref, choiceOf(reference)]));
            const definition = withCredentialIds(
              pending.workflow.definition,
              ({ credentialId }) => ids.get(credentialId) ?? credentialId,
            );
            onImport({ ...pending.workflow, definition });
          }}
        >
          Import workflow
        </Button>
      </Dialog.Footer>
      <Dialog.CloseTrigger asChild>
        <CloseButton size="sm" />
      </Dialog.CloseTrigger>
    </Dialog.Content>
  );
}
