import type { CreateWorkflowInput, FieldIssue } from '@automateos/shared';
import { Button, CloseButton, Code, Dialog, List, Portal, Text } from '@chakra-ui/react';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { UploadIcon } from '../../../components/icons';
import { toaster } from '../../../components/ui/toaster';
import { isApiError } from '../../../lib/trpc';
import { MAX_IMPORT_BYTES, parseImportFile, tooLargeFile } from '../transfer';
import { editorPath, useCreateWorkflow } from '../workflow-api';
import { MapCredentialsDialog, type PendingImport } from './map-credentials-dialog';

interface Failure {
  fileName: string;
  problems: FieldIssue[];
}

/**
 * Reads an export file (or a bare definition), creates the workflow and opens it. A file that does
 * not validate is explained problem by problem in a dialog; nothing fails silently.
 */
export function ImportWorkflowButton() {
  const input = useRef<HTMLInputElement>(null);
  const navigate = useNavigate();
  const create = useCreateWorkflow();
  const [reading, setReading] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [mapping, setMapping] = useState<PendingImport | null>(null);

  const createWorkflow = (fileName: string, workflow: CreateWorkflowInput) =>
    create.mutate(workflow, {
      onSuccess: (created) => {
        setMapping(null);
        toaster.success({
          title: 'Workflow imported',
          description: `${created.name} is switched off until you switch it on.`,
        });
        void navigate(editorPath(created.id));
      },
      onError: (error) => {
        setMapping(null);
        setFailure({
          fileName,
          problems:
            isApiError(error) && error.data?.issues?.length
              ? error.data.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
              : [{ path: '', message: error.message }],
        });
      },
    });

  const importFile = async (file: File) => {
    setReading(true);
    try {
      // Not even read when it is too large to be a workflow.
      const result =
        file.size > MAX_IMPORT_BYTES ? tooLargeFile() : parseImportFile(await file.text(), file.name);
      if (!result.ok) {
        setFailure({ fileName: file.name, problems: result.problems });
        return;
      }
      // Credentials are named by name in the file: the user says which of theirs each one is first.
      if (result.credentials.length > 0) {
        setMapping({ fileName: file.name, workflow: result.workflow, credentials: result.credentials });
        return;
      }
      createWorkflow(file.name, result.workflow);
    } catch (error) {
      setFailure({
        fileName: file.name,
        problems: [{ path: '', message: `Could not read the file: ${String(error)}` }],
      });
    } finally {
      setReading(false);
    }
  };

  return (
    <>
      <Button variant="outline" onClick={() => input.current?.click()} loading={reading || create.isPending}>
        <UploadIcon />
        Import JSON
      </Button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Import workflow file"
        hidden
        onChange={(event) => {
          const file = event.target.files?.[0];
          // Cleared so that choosing the same file again (after fixing it) fires another change.
          event.target.value = '';
          if (file) void importFile(file);
        }}
      />
      <MapCredentialsDialog
        pending={mapping}
        importing={create.isPending}
        onCancel={() => setMapping(null)}
        onImport={(workflow) => mapping && createWorkflow(mapping.fileName, workflow)}
      />
      <Dialog.Root
        open={failure !== null}
        onOpenChange={(details) => !details.open && setFailure(null)}
        placement="center"
        scrollBehavior="inside"
      >
        <Portal>
          <Dialog.Backdrop />
          <Dialog.Positioner>
            <Dialog.Content>
              <Dialog.Header>
                <Dialog.Title>Could not import this file</Dialog.Title>
              </Dialog.Header>
              <Dialog.Body>
                <Text mb="3" color="fg.muted" wordBreak="break-all">
                  {failure?.fileName}
                </Text>
                <Text mb="2">
                  {failure?.problems.length === 1
                    ? 'It has a problem:'
                    : `It has ${failure?.problems.length} problems:`}
                </Text>
                <List.Root gap="2" ps="5">
                  {failure?.problems.map((problem, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: a fixed list that is never reordered
                    <List.Item key={index} wordBreak="break-word">
                      {problem.path && (
                        <>
                          <Code size="sm">{problem.path}</Code>{' '}
                        </>
                      )}
                      {problem.message}
                    </List.Item>
                  ))}
                </List.Root>
              </Dialog.Body>
              <Dialog.Footer>
                <Dialog.ActionTrigger asChild>
                  <Button variant="outline">Close</Button>
                </Dialog.ActionTrigger>
              </Dialog.Footer>
              <Dialog.CloseTrigger asChild>
                <CloseButton size="sm" />
              </Dialog.CloseTrigger>
            </Dialog.Content>
          </Dialog.Positioner>
        </Portal>
      </Dialog.Root>
    </>
  );
}
