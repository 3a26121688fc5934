import { Stack, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { describeJsonError, parseJson, toJsonText } from '../json-text';
import { useEditor, useLocalProblem } from './editor-context';
import { ExpressionInput } from './expression-input';
import type { IssuePath } from './field-path';

interface JsonValueEditorProps {
  path: IssuePath;
  value: unknown;
  onChange: (value: unknown) => void;
  where: string;
  'aria-label': string;
}

/**
 * JSON typed as text (an HTTP body). The text is kept as typed; the value is sent up whenever the
 * text parses, and while it does not, the problem blocks saving rather than saving the last value.
 */
export function JsonValueEditor({ path, value, onChange, where, ...aria }: JsonValueEditorProps) {
  const { readOnly } = useEditor();
  const [text, setText] = useState(() => toJsonText(value ?? {}));
  const [shown, setShown] = useState(() => JSON.stringify(value ?? {}));
  const incoming = JSON.stringify(value ?? {});
  if (incoming !== shown) {
    setShown(incoming);
    setText(toJsonText(value ?? {}));
  }

  const parsed = parseJson(text);
  useLocalProblem(
    path,
    where,
    parsed.ok ? undefined : `The JSON body is not valid JSON. ${describeJsonError(parsed.error)}`,
  );

  return (
    <Stack gap="1.5" width="full">
      <ExpressionInput
        multiline
        rows={5}
        value={text}
        readOnly={readOnly}
        onChange={(next) => {
          setText(next);
          const result = parseJson(next);
          if (result.ok) {
            setShown(JSON.stringify(result.value));
            onChange(result.value);
          }
        }}
        aria-invalid={parsed.ok ? undefined : true}
        {...aria}
      />
      {!parsed.ok && (
        <Text fontSize="sm" color="fg.error">
          {describeJsonError(parsed.error)}
        </Text>
      )}
    </Stack>
  );
}
