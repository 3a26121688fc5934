import { Field, NativeSelect, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { useFieldError } from './editor-context';
import { fieldKey, type IssuePath } from './issues';

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
