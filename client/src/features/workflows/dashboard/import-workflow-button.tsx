import {
  type CreateWorkflowInput,
  isTriggerType,
  stepTypes,
  triggerTypes,
  WORKFLOW_PAGE_MAX,
} from '@automateos/shared';
import {
  Alert,
  Button,
  CloseButton,
  Code,
  Dialog,
  Field,
  HStack,
  List,
  Portal,
  Stack,
  Text,
  Textarea,
} from '@chakra-ui/react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { UploadIcon } from '../../../components/icons';
import { toaster } from '../../../components/ui/toaster';
import { isApiError, useTRPC } from '../../../lib/trpc';
import {
  distinctName,
  type ImportResult,
  MAX_IMPORT_BYTES,
  parseImportFile,
  tooLargeFile,
} from '../transfer';
import { editorPath, useCreateWorkflow } from '../workflow-api';
import { MapCredentialsDialog, type PendingImport } from './map-credentials-dialog';

/** What is being imported: text pasted, or a file read (named, so problems say which). */
interface Source {
  text: string;
  fileName: string | null;
}

/**
 * "Import": paste JSON or choose a file, see what it holds — or every problem it has — before
 * anything is created; the workflow arrives switched off, under a name no other workflow has.
 */
export function ImportWorkflowButton() {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root
      open={open}
      onOpenChange={(details) => setOpen(details.open)}
      placement="center"
      size="lg"
      scrollBehavior="inside"
      lazyMount
      unmountOnExit
    >
      <Dialog.Trigger asChild>
        <Button variant="outline">
          <UploadIcon />
          Import
        </Button>
      </Dialog.Trigger>
      <Portal>
        <Dialog.Backdrop />
        <Dialog.Positioner>
          <Dialog.Content>
            <ImportDialogBody onDone={() => setOpen(false)} />
          </Dialog.Content>
        </Dialog.Positioner>
      </Portal>
    </Dialog.Root>
  );
}

function ImportDialogBody({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const create = useCreateWorkflow();
  const fileInput = useRef<HTMLInputElement>(null);
  const [source, setSource] = useState<Source>({ text: '', fileName: null });
  const [result, setResult] = useState<ImportResult | null>(null);
  const [serverProblems, setServerProblems] = useState<ImportResult | null>(null);

  const read = (next: Source, parsed?: ImportResult) => {
    setSource(next);
    setServerProblems(null);
    setResult(
      parsed ?? (next.text.trim() === '' ? null : parseImportFile(next.text, next.fileName ?? 'pasted.json')),
    );
  };

  const chooseFile = async (file: File) => {
    // Not even read when it is too large to be a workflow.
    if (file.size > MAX_IMPORT_BYTES) return read({ text: '', fileName: file.name }, tooLargeFile());
    try {
      read({ text: await file.text(), fileName: file.name });
    } catch (error) {
      read(
        { text: '', fileName: file.name },
        { ok: false, problems: [{ path: '', message: `Could not read the file: ${String(error)}` }] },
      );
    }
  };

  const wanted = result?.ok ? result.workflow.name : null;
  // The names already taken that the copy could collide with: every name containing it, on every page.
  const search = { search: wanted ?? '' };
  const taken = useQuery({
    queryKey: [...trpc.workflows.list.queryKey(search), 'every page'],
    queryFn: async () => {
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        // Typed here: the loop's cursor comes from the page, which TypeScript cannot infer around.
        const page: { items: { name: string }[]; nextCursor: string | null } = await queryClient.fetchQuery({
          ...trpc.workflows.list.queryOptions({
            ...search,
            limit: WORKFLOW_PAGE_MAX,
            ...(cursor && { cursor }),
          }),
          staleTime: 0,
        });
        names.push(...page.items.map((item) => item.name));
        cursor = page.nextCursor;
      } while (cursor);
      return names;
    },
    enabled: wanted !== null,
  });
  // Should the list not load, the name stays as it is: a duplicate name is allowed, only confusing.
  const name =
    wanted !== null && (taken.data || taken.isError) ? distinctName(wanted, taken.data ?? []) : null;
  const shown = serverProblems ?? result;

  // Credentials are named by name in the file: the user says which of theirs each one is first.
  const [mapping, setMapping] = useState<PendingImport | null>(null);

  const createWorkflow = (workflow: CreateWorkflowInput) =>
    create.mutate(workflow, {
      onSuccess: (created) => {
        setMapping(null);
        toaster.success({
          title: `Imported “${created.name}”`,
          description: 'It is switched off: switch it on when it is ready.',
        });
        onDone();
        void navigate(editorPath(created.id));
      },
      onError: (error) => {
        setMapping(null);
        setServerProblems({
          ok: false,
          problems:
            isApiError(error) && error.data?.issues?.length
              ? error.data.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }))
              : [{ path: '', message: error.message }],
        });
      },
    });

  const importIt = () => {
    if (!result?.ok || name === null) return;
    const workflow = { ...result.workflow, name };
    if (result.credentials.length === 0) return createWorkflow(workflow);
    setMapping({ fileName: source.fileName ?? 'Pasted JSON', workflow, credentials: result.credentials });
  };

  return (
    <>
      <Dialog.Header>
        <Dialog.Title>Import a workflow</Dialog.Title>
      </Dialog.Header>
      <Dialog.Body>
        <Stack gap="4">
          <Text fontSize="sm" color="fg.muted">
            An AutomateOS export file, or a definition as the editor's JSON tab shows it. Nothing is created
            until you confirm.
          </Text>
          <HStack gap="3">
            <Button size="sm" variant="outline" onClick={() => fileInput.current?.click()}>
              <UploadIcon />
              Choose a file…
            </Button>
            {source.fileName && (
              <Text fontSize="sm" color="fg.muted" wordBreak="break-all" data-testid="import-file-name">
                {source.fileName}
              </Text>
            )}
            <input
              ref={fileInput}
              type="file"
              accept=".json,application/json"
              aria-label="Import workflow file"
              hidden
              onChange={(event) => {
                const file = event.target.files?.[0];
                // Cleared so that choosing the same file again (after fixing it) fires another change.
                event.target.value = '';
                if (file) void chooseFile(file);
              }}
            />
          </HStack>
          <Field.Root>
            <Field.Label>Or paste JSON</Field.Label>
            <Textarea
              value={source.text}
              onChange={(event) => read({ text: event.currentTarget.value, fileName: null })}
              fontFamily="mono"
              fontSize="xs"
              rows={8}
              spellCheck={false}
              autoComplete="off"
              placeholder='{ "automateos": 1, "name": "…", "definition": { … } }'
            />
          </Field.Root>
          {shown && <ImportPreview result={shown} name={name} />}
        </Stack>
      </Dialog.Body>
      <Dialog.Footer>
        <Dialog.ActionTrigger asChild>
          <Button variant="outline">Cancel</Button>
        </Dialog.ActionTrigger>
        <Button
          colorPalette="blue"
          onClick={importIt}
          disabled={!result?.ok || name === null || serverProblems !== null}
          loading={create.isPending}
        >
          Import
        </Button>
      </Dialog.Footer>
      <Dialog.CloseTrigger asChild>
        <CloseButton size="sm" />
      </Dialog.CloseTrigger>
      <MapCredentialsDialog
        pending={mapping}
        importing={create.isPending}
        onCancel={() => setMapping(null)}
        onImport={createWorkflow}
      />
    </>
  );
}

/** What the import will create, or every problem that keeps it from being imported. */
function ImportPreview({ result, name }: { result: ImportResult; name: string | null }) {
  if (!result.ok) {
    const count = result.problems.length;
    return (
      <Alert.Root status="error" alignItems="start" role="region" aria-label="Problems">
        <Alert.Indicator />
        <Alert.Content>
          <Alert.Title>
            {count === 1 ? 'It cannot be imported: 1 problem' : `It cannot be imported: ${count} problems`}
          </Alert.Title>
          <Alert.Description>
            <List.Root gap="1" ps="4" mt="1">
              {result.problems.map((problem, index) => (
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
          </Alert.Description>
        </Alert.Content>
      </Alert.Root>
    );
  }
  const { workflow } = result;
  const { trigger, steps } = workflow.definition;
  const renamed = name !== null && name !== workflow.name;
  return (
    <Stack gap="2" borderWidth="1px" rounded="l2" p="3" fontSize="sm" role="region" aria-label="Preview">
      <Text>
        Creates <strong>{name ?? workflow.name}</strong>, switched off
        {renamed && (
          <Text as="span" color="fg.muted">
            {' '}
            (a workflow named “{workflow.name}” already exists)
          </Text>
        )}
        .
      </Text>
      <Text color="fg.muted">
        When: {isTriggerType(trigger.type) ? triggerTypes[trigger.type].title : trigger.type} · then{' '}
        {steps.length === 1 ? '1 step' : `${steps.length} steps`}
      </Text>
      {result.credentials.length > 0 && (
        <Text color="fg.muted">
          Uses {result.credentials.length === 1 ? 'a credential' : `${result.credentials.length} credentials`}
          : you choose which of yours next.
        </Text>
      )}
      <List.Root as="ol" ps="5" gap="0.5">
        {steps.map((step) => (
          <List.Item key={step.id}>
            {step.name}{' '}
            <Text as="span" color="fg.muted">
              ({stepTypes[step.type].title})
            </Text>
          </List.Item>
        ))}
      </List.Root>
    </Stack>
  );
}
