import {
  type AnyCredentialSpec,
  type CredentialField,
  type CredentialType,
  createCredentialInput,
  credentialTypes,
  isOptionalField,
} from '@automateos/shared';
import {
  Alert,
  Button,
  CloseButton,
  Dialog,
  Field,
  HStack,
  Input,
  Portal,
  Stack,
  Text,
} from '@chakra-ui/react';
import { type FormEvent, useState } from 'react';
import { LockIcon } from '../../components/icons';
import { toaster } from '../../components/ui/toaster';
import { isApiError } from '../../lib/trpc';
import { Select } from '../workflows/editor/fields';
import { type Credential, useCreateCredential, useUpdateCredential } from './credentials-api';
import { credentialViews } from './registry';

/** What the dialog is for: a new credential (of one of `types`, maybe prefilled), or editing one. */
export type CredentialDialogMode =
  | {
      kind: 'create';
      types: readonly CredentialType[];
      initial?: { type?: CredentialType; name?: string; data?: Record<string, string> };
    }
  | { kind: 'edit'; credential: Credential };

interface CredentialDialogProps {
  mode: CredentialDialogMode | null;
  onClose: () => void;
  onSaved?: (credential: Credential) => void;
}

/**
 * Creates or edits a credential. Secret fields are write-only: an edit shows that one is saved,
 * never its value, and leaving it blank keeps it. Opened from the Credentials page, a step's
 * credential picker ("New credential…"), the editor's suggestion for a hand-typed secret header,
 * and the import of a workflow that names credentials.
 */
export function CredentialDialog({ mode, onClose, onSaved }: CredentialDialogProps) {
  return (
    <Dialog.Root
      open={mode !== null}
      onOpenChange={(details) => !details.open && onClose()}
      placement="center"
      scrollBehavior="inside"
    >
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          {mode && <CredentialForm mode={mode} onClose={onClose} onSaved={onSaved} />}
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

type Values = Record<string, string>;

const asInputText = (value: unknown) => (value === undefined || value === null ? '' : String(value));

function publicValues(spec: AnyCredentialSpec, data: Record<string, unknown>): Values {
  return Object.fromEntries(
    Object.entries(spec.fields).map(([name, field]) => {
      // A new credential's choices start at the first (STARTTLS for SMTP).
      const initial = data[name] ?? (field.input === 'select' ? field.options?.[0]?.value : undefined);
      return [name, field.secret ? '' : asInputText(initial)];
    }),
  );
}

/** A typed value as the field's schema expects it: port numbers as numbers, everything else as text. */
function typedValue(field: CredentialField, text: string): string | number {
  return field.input === 'number' && /^\d+$/.test(text.trim()) ? Number(text.trim()) : text;
}

/** The data of a new credential: blank fields left out. */
function newData(spec: AnyCredentialSpec, values: Values): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(spec.fields).flatMap(([name, field]) => {
      const text = values[name] ?? '';
      return text.trim() === '' ? [] : [[name, typedValue(field, text)]];
    }),
  );
}

/** An edit as `credentials.update` takes it: changed public fields, typed secrets, removed ones as null. */
function patchOf(
  spec: AnyCredentialSpec,
  credential: Credential,
  values: Values,
  removed: ReadonlySet<string>,
): Record<string, string | number | null> {
  const patch: Record<string, string | number | null> = {};
  for (const [name, field] of Object.entries(spec.fields)) {
    const text = values[name] ?? '';
    if (field.secret) {
      if (removed.has(name)) patch[name] = null;
      else if (text !== '') patch[name] = text;
    } else if (text !== asInputText(credential.data[name])) {
      patch[name] = text.trim() === '' ? null : typedValue(field, text);
    }
  }
  return patch;
}

interface Problems {
  fields: Record<string, string>;
  form?: string;
}

/** Issues with paths like `['data', 'token']` or `['name']`, on the fields they name. */
function problemsOf(issues: readonly { path: readonly (string | number)[]; message: string }[]): Problems {
  const fields: Record<string, string> = {};
  const rest: string[] = [];
  for (const { path, message } of issues) {
    const [root, field] = path;
    const key = root === 'data' && typeof field === 'string' ? field : root === 'name' ? 'name' : undefined;
    if (key !== undefined && fields[key] === undefined) fields[key] = message;
    else if (key === undefined) rest.push(message);
  }
  return rest.length > 0 ? { fields, form: rest.join(' ') } : { fields };
}

function CredentialForm({
  mode,
  onClose,
  onSaved,
}: {
  mode: CredentialDialogMode;
  onClose: () => void;
  onSaved: ((credential: Credential) => void) | undefined;
}) {
  const editing = mode.kind === 'edit' ? mode.credential : undefined;
  const choices = mode.kind === 'create' ? mode.types : [];
  const [type, setType] = useState<CredentialType>(
    editing?.type ??
      (mode.kind === 'create' ? (mode.initial?.type ?? choices[0]) : undefined) ??
      'httpBearer',
  );
  const spec: AnyCredentialSpec = credentialTypes[type];
  const [name, setName] = useState(
    editing?.name ?? (mode.kind === 'create' ? (mode.initial?.name ?? '') : ''),
  );
  const [values, setValues] = useState<Values>(() =>
    editing
      ? publicValues(spec, editing.data)
      : { ...publicValues(spec, {}), ...(mode.kind === 'create' ? mode.initial?.data : {}) },
  );
  const [removed, setRemoved] = useState<ReadonlySet<string>>(new Set());
  const [problems, setProblems] = useState<Problems>({ fields: {} });
  const create = useCreateCredential();
  const update = useUpdateCredential();
  const pending = create.isPending || update.isPending;
  const view = credentialViews[type];

  const saved = (credential: Credential) => {
    toaster.success({
      title: editing ? 'Credential saved' : 'Credential created',
      description: credential.name,
    });
    onSaved?.(credential);
    onClose();
  };
  const failed = (error: unknown) => {
    if (isApiError(error) && error.data?.issues?.length) setProblems(problemsOf(error.data.issues));
    else setProblems({ fields: {}, form: error instanceof Error ? error.message : String(error) });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (pending) return;
    if (editing) {
      update.mutate(
        {
          id: editing.id,
          ...(name !== editing.name && { name }),
          data: patchOf(spec, editing, values, removed),
        },
        { onSuccess: saved, onError: failed },
      );
      return;
    }
    const input = createCredentialInput.safeParse({ name, type, data: newData(spec, values) });
    if (!input.success) {
      setProblems(
        problemsOf(input.error.issues.map((issue) => ({ ...issue, path: issue.path.map(String) }))),
      );
      return;
    }
    create.mutate(input.data, { onSuccess: saved, onError: failed });
  };

  const setValue = (field: string, value: string) => {
    setValues((current) => ({ ...current, [field]: value }));
    setProblems(({ fields, ...rest }) => ({ ...rest, fields: { ...fields, [field]: '' } }));
  };

  // The form is the dialog's content, so header, scrolling body and footer keep their layout.
  return (
    <Dialog.Content asChild>
      <form onSubmit={submit} noValidate>
        <Dialog.Header>
          <Dialog.Title display="flex" alignItems="center" gap="2">
            <view.icon boxSize="5" color={`${view.palette}.fg`} />
            {editing ? `Edit ${editing.name}` : 'New credential'}
          </Dialog.Title>
        </Dialog.Header>
        <Dialog.Body>
          <Stack gap="4">
            {!editing && choices.length > 1 && (
              <Field.Root>
                <Field.Label>Type</Field.Label>
                <Select
                  value={type}
                  options={choices.map((choice) => ({ value: choice, label: credentialTypes[choice].title }))}
                  onChange={(value) => {
                    const next = choices.find((choice) => choice === value) ?? type;
                    setType(next);
                    setValues(publicValues(credentialTypes[next], {}));
                    setRemoved(new Set());
                    setProblems({ fields: {} });
                  }}
                />
              </Field.Root>
            )}
            <Text fontSize="sm" color="fg.muted">
              {spec.description}
            </Text>
            <Field.Root invalid={Boolean(problems.fields.name)}>
              <Field.Label>Name</Field.Label>
              <Input
                size="sm"
                value={name}
                placeholder={`My ${spec.title}`}
                onChange={(event) => {
                  setName(event.target.value);
                  setProblems(({ fields, ...rest }) => ({ ...rest, fields: { ...fields, name: '' } }));
                }}
              />
              <Field.HelperText>How steps and export files refer to it.</Field.HelperText>
              <Field.ErrorText>{problems.fields.name}</Field.ErrorText>
            </Field.Root>
            {Object.entries(spec.fields).map(([fieldName, field]) => (
              <CredentialFieldInput
                key={`${type}.${fieldName}`}
                field={field}
                value={values[fieldName] ?? ''}
                error={problems.fields[fieldName]}
                stored={editing?.storedSecrets.includes(fieldName) ?? false}
                removed={removed.has(fieldName)}
                onChange={(value) => setValue(fieldName, value)}
                onRemove={(remove) =>
                  setRemoved((current) => {
                    const next = new Set(current);
                    if (remove) next.add(fieldName);
                    else next.delete(fieldName);
                    return next;
                  })
                }
              />
            ))}
            {problems.form && (
              <Alert.Root status="error">
                <Alert.Indicator />
                <Alert.Description>{problems.form}</Alert.Description>
              </Alert.Root>
            )}
          </Stack>
        </Dialog.Body>
        <Dialog.Footer>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" colorPalette="blue" loading={pending}>
            {editing ? 'Save credential' : 'Create credential'}
          </Button>
        </Dialog.Footer>
        <Dialog.CloseTrigger asChild>
          <CloseButton size="sm" />
        </Dialog.CloseTrigger>
      </form>
    </Dialog.Content>
  );
}

function CredentialFieldInput({
  field,
  value,
  error,
  stored,
  removed,
  onChange,
  onRemove,
}: {
  field: CredentialField;
  value: string;
  error: string | undefined;
  /** A secret field that holds a value (edit only): the input says so and stays empty. */
  stored: boolean;
  removed: boolean;
  onChange: (value: string) => void;
  onRemove: (remove: boolean) => void;
}) {
  const optional = isOptionalField(field);
  const placeholder = stored && !removed ? 'Saved. Leave blank to keep it' : field.placeholder;
  return (
    <Field.Root invalid={Boolean(error)}>
      <Field.Label>
        {field.secret && <LockIcon boxSize="3.5" color="fg.muted" />}
        {field.label}
        {optional && (
          <Text as="span" color="fg.muted" fontWeight="normal">
            (optional)
          </Text>
        )}
      </Field.Label>
      {field.input === 'select' ? (
        <Select value={value} options={field.options ?? []} onChange={onChange} />
      ) : (
        <HStack w="full" gap="2">
          <Input
            size="sm"
            fontFamily={field.secret ? 'mono' : undefined}
            type={field.secret ? 'password' : field.input === 'number' ? 'number' : 'text'}
            // Write-only: the browser must not offer to save it as a sign-in password, or fill it in.
            autoComplete={field.secret ? 'new-password' : 'off'}
            value={value}
            placeholder={placeholder}
            disabled={removed}
            onChange={(event) => onChange(event.target.value)}
          />
          {stored && optional && (
            <Button size="sm" variant="ghost" flexShrink={0} onClick={() => onRemove(!removed)}>
              {removed ? 'Keep' : 'Remove'}
            </Button>
          )}
        </HStack>
      )}
      {removed ? (
        <Field.HelperText>Removed when you save.</Field.HelperText>
      ) : (
        field.help && !error && <Field.HelperText>{field.help}</Field.HelperText>
      )}
      <Field.ErrorText>{error}</Field.ErrorText>
    </Field.Root>
  );
}
