import { IconButton, Menu, Portal, Text } from '@chakra-ui/react';
import { useState } from 'react';
import { useNavigate } from 'react-router';
import { ConfirmDialog } from '../../../components/confirm-dialog';
import { CopyIcon, DownloadIcon, MoreIcon, TrashIcon } from '../../../components/icons';
import { toaster } from '../../../components/ui/toaster';
import { editorPath, useDeleteWorkflow, useDuplicateWorkflow, useExportWorkflow } from '../workflow-api';

/** Duplicate, export and delete for one row of the dashboard. */
export function WorkflowActionsMenu({ id, name }: { id: string; name: string }) {
  const navigate = useNavigate();
  const duplicate = useDuplicateWorkflow();
  const exportJson = useExportWorkflow();
  const remove = useDeleteWorkflow();
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const onSelect = ({ value }: { value: string }) => {
    if (value === 'open') void navigate(editorPath(id));
    if (value === 'duplicate') duplicate.mutate(id);
    if (value === 'export') exportJson.mutate(id);
    if (value === 'delete') setConfirmingDelete(true);
  };

  return (
    <>
      <Menu.Root onSelect={onSelect} positioning={{ placement: 'bottom-end' }}>
        <Menu.Trigger asChild>
          <IconButton
            variant="ghost"
            size="sm"
            aria-label={`Actions for ${name}`}
            loading={duplicate.isPending || exportJson.isPending}
          >
            <MoreIcon />
          </IconButton>
        </Menu.Trigger>
        <Portal>
          <Menu.Positioner>
            <Menu.Content minW="44">
              <Menu.Item value="open">Open editor</Menu.Item>
              <Menu.Item value="duplicate">
                <CopyIcon boxSize="4" />
                Duplicate
              </Menu.Item>
              <Menu.Item value="export">
                <DownloadIcon boxSize="4" />
                Export JSON
              </Menu.Item>
              <Menu.Separator />
              <Menu.Item value="delete" color="fg.error" _hover={{ bg: 'bg.error', color: 'fg.error' }}>
                <TrashIcon boxSize="4" />
                Delete…
              </Menu.Item>
            </Menu.Content>
          </Menu.Positioner>
        </Portal>
      </Menu.Root>
      <ConfirmDialog
        open={confirmingDelete}
        title="Delete this workflow?"
        confirmLabel="Delete workflow"
        destructive
        pending={remove.isPending}
        onCancel={() => setConfirmingDelete(false)}
        onConfirm={() =>
          remove.mutate(
            { id },
            {
              onSuccess: () => {
                setConfirmingDelete(false);
                toaster.success({ title: 'Workflow deleted', description: name });
              },
            },
          )
        }
      >
        <Text>
          <Text as="strong" wordBreak="break-word">
            {name}
          </Text>{' '}
          and all of its executions will be deleted, and its webhook URL will stop working. This cannot be
          undone.
        </Text>
      </ConfirmDialog>
    </>
  );
}
