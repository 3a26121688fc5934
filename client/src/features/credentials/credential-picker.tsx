import { type CredentialType, credentialTypes } from '@automateos/shared';
import { HStack, NativeSelect } from '@chakra-ui/react';
import { useState } from 'react';
import { CredentialDialog, type CredentialDialogMode } from './credential-dialog';
import { useCredentials } from './credentials-api';
import { credentialViews } from './registry';

const NEW = '\u0000new';

interface CredentialPickerProps {
  /** The types the step accepts (its spec's `auth.types`). */
  types: readonly CredentialType[];
  /** The credential id the config holds; undefined for none. */
  value: string | undefined;
  onChange: (credentialId: string | undefined) => void;
  /** The step can run without one: "None" is a choice. */
  optional: boolean;
  /** What "New credential…" starts with: the name and type an imported file gave it. */
  suggested?: { name: string; type: CredentialType } | undefined;
  disabled?: boolean;
  'aria-label'?: string;
}

/**
 * Picks one of the user's credentials of the types a step accepts, or makes a new one on the spot
 * ("New credential…" opens the dialog and picks what it created). An id the list does not have
 * (deleted since, or typed in the JSON tab) is shown as missing rather than silently replaced.
 */
export function CredentialPicker({
  types,
  value,
  onChange,
  optional,
  suggested,
  disabled,
  ...aria
}: CredentialPickerProps) {
  const list = useCredentials();
  const [dialog, setDialog] = useState<CredentialDialogMode | null>(null);
  const fitting = (list.data?.items ?? []).filter((credential) => types.includes(credential.type));
  const selected = fitting.find((credential) => credential.id === value);
  const view = selected ? credentialViews[selected.type] : undefined;

  return (
    <HStack gap="2" w="full">
      {view && <view.icon boxSize="4" color={`${view.palette}.fg`} flexShrink={0} aria-hidden />}
      <NativeSelect.Root size="sm" disabled={disabled}>
        <NativeSelect.Field
          {...aria}
          value={value ?? ''}
          onChange={(event) => {
            const choice = event.target.value;
            if (choice === NEW)
              setDialog({ kind: 'create', types, ...(suggested && { initial: suggested }) });
            else onChange(choice === '' ? undefined : choice);
          }}
        >
          {(optional || value === undefined) && (
            <option value="">{optional ? 'None' : 'Choose a credential…'}</option>
          )}
          {value !== undefined && !selected && (
            <option value={value}>
              {list.data ? 'Missing credential (deleted, or not yours)' : 'Loading…'}
            </option>
          )}
          {fitting.map((credential) => (
            <option key={credential.id} value={credential.id}>
              {credential.name} ({credentialTypes[credential.type].title})
            </option>
          ))}
          <option value={NEW}>New credential…</option>
        </NativeSelect.Field>
        <NativeSelect.Indicator />
      </NativeSelect.Root>
      <CredentialDialog
        mode={dialog}
        onClose={() => setDialog(null)}
        onSaved={(credential) => onChange(credential.id)}
      />
    </HStack>
  );
}
