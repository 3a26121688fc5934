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
          <EditorField path={['name']} label="Name">
            <Input
              ref={nameInput}
              value={name}
              maxLength={200}
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
