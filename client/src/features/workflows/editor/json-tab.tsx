import { Button, Field, HStack, Stack, Text, Textarea } from '@chakra-ui/react';
import { memo } from 'react';
import { CopyButton } from '../../../components/copy-button';
import { describeJsonError, type JsonSyntaxError, toJsonText } from '../json-text';
import { useEditor } from './editor-context';

interface JsonTabProps {
  text: string;
  error: JsonSyntaxError | null;
  definition: unknown;
}

/** The definition as JSON: the same object the form edits, validated as you type. */
export const JsonTab = memo(function JsonTab({ text, error, definition }: JsonTabProps) {
  const { dispatch } = useEditor();
  return (
    <Stack gap="3">
      <HStack justify="space-between" gap="3" wrap="wrap">
        <Text fontSize="sm" color="fg.muted">
          The workflow definition, as export files and the API hold it. Edits here show in the form.
        </Text>
        <HStack gap="2">
          <Button
            size="xs"
            variant="outline"
            disabled={error !== null}
            onClick={() => dispatch({ type: 'setJsonText', text: toJsonText(definition) })}
          >
            Format
          </Button>
          <CopyButton size="xs" text={text} label="Copy JSON">
            Copy
          </CopyButton>
        </HStack>
      </HStack>
      <Field.Root invalid={error !== null}>
        <Field.Label srOnly>Workflow definition (JSON)</Field.Label>
        <Textarea
          value={text}
          onChange={(event) => dispatch({ type: 'setJsonText', text: event.target.value })}
          fontFamily="mono"
          fontSize="sm"
          lineHeight="1.5"
          minH="60vh"
          resize="vertical"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          autoCorrect="off"
          wrap="off"
          data-json-editor
        />
        <Field.ErrorText role="alert">{error && `Invalid JSON. ${describeJsonError(error)}`}</Field.ErrorText>
      </Field.Root>
    </Stack>
  );
});
