import { Button, Field, HStack, IconButton, Input, Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { PlusIcon, TrashIcon } from '../../../components/icons';
import { asRecord } from '../values';
import { useEditor, useFieldError, useLocalProblem } from './editor-context';
import { ExpressionInput } from './expression-input';
import { fieldKey, type IssuePath } from './field-path';

interface Row {
  id: number;
  key: string;
  value: string;
}

interface KeyValueEditorProps {
  /** Path of the object being edited, e.g. [..., 'config', 'headers']. */
  path: IssuePath;
  value: unknown;
  onChange: (value: Record<string, string>) => void;
  /** "header" → "Header name 1", "Add header". */
  noun: string;
  namePlaceholder?: string;
  valuePlaceholder?: string;
  /** Where it is, for the problem summary: "Step 1 · headers". */
  where: string;
}

let rowIds = 0;
const toRows = (value: unknown): Row[] =>
  Object.entries(asRecord(value)).map(([key, entry]) => ({
    id: ++rowIds,
    key,
    value: typeof entry === 'string' ? entry : JSON.stringify(entry),
  }));

/**
 * An object of strings as rows of name and value. The rows are kept here, because an object cannot
 * hold what a person passes through while typing (two rows with the same name, a value with no name
 * yet); the object is sent up on every change and rows are rebuilt only when it changes elsewhere
 * (the JSON tab, a moved step).
 */
export function KeyValueEditor(props: KeyValueEditorProps) {
  const { path, value, onChange, noun, namePlaceholder, valuePlaceholder, where } = props;
  const { readOnly } = useEditor();
  const [rows, setRows] = useState(() => toRows(value));
  // The object the rows stand for: the last one sent up or received.
  const [shown, setShown] = useState(() => JSON.stringify(value ?? {}));
  const groupError = useFieldError(path);

  // Changed outside these rows: show the new object. (Setting state while rendering is React's
  // documented way to adjust state to a prop.)
  const incoming = JSON.stringify(value ?? {});
  if (incoming !== shown) {
    setShown(incoming);
    setRows(toRows(value));
  }

  const names = rows.map((row) => row.key);
  const duplicate = names.find((name, index) => name !== '' && names.indexOf(name) !== index);
  const unnamed = rows.some((row) => row.key === '' && row.value !== '');
  useLocalProblem(
    path,
    where,
    duplicate !== undefined
      ? `The ${noun} name "${duplicate}" is used twice: names must be unique`
      : unnamed
        ? `A ${noun} has a value but no name`
        : undefined,
  );

  const update = (next: Row[]) => {
    setRows(next);
    // First row of a name wins; fromEntries keeps a name such as __proto__ as data.
    const named = next.filter(
      (row, index) => row.key !== '' && next.findIndex((r) => r.key === row.key) === index,
    );
    const object: Record<string, string> = Object.fromEntries(named.map((row) => [row.key, row.value]));
    setShown(JSON.stringify(object));
    onChange(object);
  };
  const edit = (id: number, change: Partial<Row>) =>
    update(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));

  const title = noun.charAt(0).toUpperCase() + noun.slice(1);
  return (
    <Stack gap="2">
      {rows.map((row, index) => (
        <KeyValueRow
          key={row.id}
          row={row}
          number={index + 1}
          title={title}
          fieldPath={[...path, row.key]}
          duplicate={row.key !== '' && names.indexOf(row.key) !== index}
          readOnly={readOnly}
          namePlaceholder={namePlaceholder}
          valuePlaceholder={valuePlaceholder}
          onEdit={(change) => edit(row.id, change)}
          onRemove={() => update(rows.filter((other) => other.id !== row.id))}
        />
      ))}
      {groupError && (
        <Text fontSize="sm" color="fg.error">
          {groupError}
        </Text>
      )}
      <div>
        <Button
          size="xs"
          variant="ghost"
          disabled={readOnly}
          onClick={() => setRows([...rows, { id: ++rowIds, key: '', value: '' }])}
        >
          <PlusIcon />
          Add {noun}
        </Button>
      </div>
    </Stack>
  );
}

interface KeyValueRowProps {
  row: Row;
  number: number;
  title: string;
  fieldPath: IssuePath;
  duplicate: boolean;
  readOnly: boolean;
  namePlaceholder?: string | undefined;
  valuePlaceholder?: string | undefined;
  onEdit: (change: Partial<Row>) => void;
  onRemove: () => void;
}

function KeyValueRow(props: KeyValueRowProps) {
  const { row, number, title, fieldPath, duplicate, readOnly, onEdit, onRemove } = props;
  const issue = useFieldError(fieldPath);
  const error = duplicate ? 'This name is already used above' : issue;
  return (
    <Field.Root invalid={error !== undefined} data-field={fieldKey(fieldPath)}>
      <HStack gap="2" align="start" width="full">
        <Input
          size="sm"
          flex="2"
          fontFamily="mono"
          aria-label={`${title} name ${number}`}
          placeholder={props.namePlaceholder ?? 'Name'}
          value={row.key}
          readOnly={readOnly}
          spellCheck={false}
          onChange={(event) => onEdit({ key: event.target.value })}
        />
        <ExpressionInput
          size="sm"
          flex="3"
          aria-label={`${title} value ${number}`}
          placeholder={props.valuePlaceholder ?? 'Value'}
          value={row.value}
          readOnly={readOnly}
          onChange={(value) => onEdit({ value })}
        />
        <IconButton
          size="sm"
          variant="ghost"
          aria-label={`Remove ${title.toLowerCase()} ${number}`}
          disabled={readOnly}
          onClick={onRemove}
        >
          <TrashIcon />
        </IconButton>
      </HStack>
      <Field.ErrorText>{error}</Field.ErrorText>
    </Field.Root>
  );
}
