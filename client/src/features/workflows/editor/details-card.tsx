import { WORKFLOW_NAME_MAX } from '@automateos/shared';
import { Card, Input, Stack, Textarea } from '@chakra-ui/react';
import { memo, type RefObject } from 'react';
import { useEditor } from './editor-context';
import { EditorField } from './fields';

interface DetailsCardProps {
  name: string;
  description: string;
  nameInput: RefObject<HTMLInputElement | null>;
}

/** Name and description: not part of the definition, so not in the JSON tab. */
export const DetailsCard = memo(function DetailsCard({ name, description, nameInput }: DetailsCardProps) {
  const { dispatch } = useEditor();
  return (
    <Card.Root size="sm" variant="outline" mb="6">
      <Card.Body>
        <Stack gap="4">
          {/* No maxLength: a longer paste is kept and explained, never cut without a word. */}
          <EditorField
            path={['name']}
            label="Name"
            helperText={
              name.trim().length > WORKFLOW_NAME_MAX * 0.8
                ? `${name.trim().length} of ${WORKFLOW_NAME_MAX} characters`
                : undefined
            }
          >
            <Input
              ref={nameInput}
              value={name}
              onChange={(event) => dispatch({ type: 'setName', name: event.target.value })}
            />
          </EditorField>
          <EditorField path={['description']} label="Description" optional>
            <Textarea
              value={description}
              rows={2}
              css={{ fieldSizing: 'content' }}
              minH="16"
              placeholder="What this workflow is for, who relies on it"
              onChange={(event) => dispatch({ type: 'setDescription', description: event.target.value })}
            />
          </EditorField>
        </Stack>
      </Card.Body>
    </Card.Root>
  );
});
