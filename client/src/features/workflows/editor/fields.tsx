import { Field, HStack, Input, NativeSelect, Separator, Stack, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useEditor, useFieldError } from './editor-context';
import { fieldKey, type IssuePath } from './field-path';

/**
 * What every step type's form gets: its place in the workflow and its config as the draft holds it
 * (anything the JSON tab let through), and where to send a changed config.
 */
export interface StepFormProps {
  index: number;
  config: Record<string, unknown>;
  onChange: (config: Record<string, unknown>) => void;
}

interface EditorFieldProps {
  /** The API path this input edits: its validation messages show underneath. */
  path: IssuePath;
  label: ReactNode;
  helperText?: ReactNode;
  optional?: boolean;
  children: ReactNode;
  /** For a label that is announced but not shown, in dense rows. */
  hideLabel?: boolean;
  flex?: string;
}

export function EditorField({
  path,
  label,
  helperText,
  optional,
  children,
  hideLabel,
  flex,
}: EditorFieldProps) {
  const error = useFieldError(path);
  return (
    <Field.Root invalid={error !== undefined} data-field={fieldKey(path)} flex={flex} minW="0">
      <Field.Label srOnly={hideLabel}>
        {label}
        {optional && (
          <Text as="span" color="fg.muted" fontWeight="normal">
            {' '}
            (optional)
          </Text>
        )}
      </Field.Label>
      {children}
      {helperText && error === undefined && <Field.HelperText>{helperText}</Field.HelperText>}
      <Field.ErrorText>{error}</Field.ErrorText>
    </Field.Root>
  );
}

interface SelectProps {
  value: string;
  options: readonly { value: string; label: string }[];
  onChange: (value: string) => void;
  size?: 'xs' | 'sm' | 'md';
  'aria-label'?: string;
  disabled?: boolean;
}

/**
 * A native select: keyboard and screen readers work as everywhere else. A value the options do
 * not have (typed in the JSON tab) is listed too, so the select never pretends it is something else.
 */
export function Select({ value, options, onChange, size = 'sm', disabled, ...aria }: SelectProps) {
  const known = options.some((option) => option.value === value);
  return (
    <NativeSelect.Root size={size} disabled={disabled}>
      <NativeSelect.Field value={value} onChange={(event) => onChange(event.target.value)} {...aria}>
        {!known && <option value={value}>{value === '' ? '(not set)' : value}</option>}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </NativeSelect.Field>
      <NativeSelect.Indicator />
    </NativeSelect.Root>
  );
}

/** A titled group of fields inside a step form: "Headers", "Body", … */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Stack gap="2" role="group" aria-label={title}>
      <HStack gap="3">
        <Text fontSize="sm" fontWeight="medium" flexShrink={0}>
          {title}
        </Text>
        <Separator flex="1" />
      </HStack>
      {children}
    </Stack>
  );
}

/**
 * The validation message(s) at `path`, for a problem no single input shows (a body that is neither
 * JSON nor text, a list with no entries). `anchor` makes it what the problem summary scrolls to.
 */
export function FieldError({ path, anchor }: { path: IssuePath; anchor?: boolean }) {
  const error = useFieldError(path);
  return error ? (
    <Text fontSize="sm" color="fg.error" data-field={anchor ? fieldKey(path) : undefined}>
      {error}
    </Text>
  ) : null;
}

/**
 * A whole number input. Empty removes the field, so the schema's default applies; anything else is
 * sent as the number typed (the schema explains a fraction or a value out of range).
 */
export function NumberInput({
  value,
  placeholder,
  onChange,
}: {
  value: unknown;
  placeholder: string;
  onChange: (value: number | undefined) => void;
}) {
  const { readOnly } = useEditor();
  return (
    <Input
      size="sm"
      type="number"
      inputMode="numeric"
      min={0}
      value={typeof value === 'number' ? String(value) : ''}
      placeholder={placeholder}
      readOnly={readOnly}
      onChange={(event) => {
        const text = event.target.value.trim();
        onChange(text === '' || !Number.isFinite(Number(text)) ? undefined : Number(text));
      }}
    />
  );
}
