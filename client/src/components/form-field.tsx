import { Field, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';

interface FormFieldProps {
  label: string;
  error?: string | undefined;
  optional?: boolean;
  helperText?: string;
  children: ReactNode;
}

/** A labelled input with its error underneath; Chakra's Field wires up the ids and aria attributes. */
export function FormField({ label, error, optional, helperText, children }: FormFieldProps) {
  return (
    <Field.Root invalid={error !== undefined}>
      <Field.Label>
        {label}
        {optional && ' '}
        {optional && (
          <Text as="span" color="fg.muted" fontWeight="normal">
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
