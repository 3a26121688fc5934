import type { CreateWorkflowInput } from '@automateos/shared';
import {
  Alert,
  Badge,
  Button,
  Center,
  Heading,
  HStack,
  Kbd,
  Link,
  Spinner,
  Stack,
  Tabs,
  Text,
} from '@chakra-ui/react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link as RouterLink, useLocation, useParams } from 'react-router';
import { BracesIcon, ChevronLeftIcon, HistoryIcon } from '../../../components/icons';
import { toaster } from '../../../components/ui/toaster';
import { apiErrorCode, isApiError, useTRPC } from '../../../lib/trpc';
import { useLatest } from '../../../lib/use-latest';
import { RunButton } from '../../executions/run-now-button';
import { DeliveriesTab } from '../../triggers/webhook/deliveries-tab';
import { describeJsonError } from '../json-text';
import { asRecord } from '../values';
import { executionsPath, useWorkflowCache, type Workflow } from '../workflow-api';
import { ConflictAlert } from './conflict-alert';
import { DetailsCard } from './details-card';
import { EditorContext, type EditorContextValue, type LocalProblem } from './editor-context';
import {
  type Draft,
  draftText,
  editorReducer,
  formProblem,
  initialState,
  isDirty,
  stepsOf,
} from './editor-state';
import { type EditorIssue, indexIssues, serverIssues, validateDraft } from './issues';
import { JsonTab } from './json-tab';
import { LeaveGuard } from './leave-guard';
import { type Problem, ProblemSummary } from './problem-summary';
import { StepList } from './step-list';
import { TriggerCard } from './trigger-card';

/** Route `/workflows/:id`: loads the workflow, then hands it to the editor. */
export function WorkflowEditorPage() {
  const { id = '' } = useParams();
  const trpc = useTRPC();
  // The editor keeps its own draft; refetching on focus would only cost requests.
  const workflow = useQuery({ ...trpc.workflows.get.queryOptions({ id }), refetchOnWindowFocus: false });

  if (workflow.isPending) {
    return (
      <Center py="24">
        <Spinner size="lg" color="fg.muted" aria-label="Loading workflow" />
      </Center>
    );
  }
  if (workflow.isError) {
    const notFound =
      apiErrorCode(workflow.error) === 'NOT_FOUND' || apiErrorCode(workflow.error) === 'BAD_REQUEST';
    return (
      <Stack align="center" gap="4" py="24" textAlign="center">
        <title>Workflow not found · AutomateOS</title>
        <Heading as="h1" size="xl">
          {notFound ? 'Workflow not found' : 'Could not load this workflow'}
        </Heading>
        <Text color="fg.muted">
          {notFound ? 'It may have been deleted, or the link is mistyped.' : workflow.error.message}
        </Text>
        <Button asChild variant="outline">
          <RouterLink to="/">Back to your workflows</RouterLink>
        </Button>
      </Stack>
    );
  }
  return <WorkflowEditor key={workflow.data.id} workflow={workflow.data} />;
}

type Tab = 'form' | 'json' | 'deliveries';

function WorkflowEditor({ workflow }: { workflow: Workflow }) {
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  const location = useLocation();
  const [state, dispatch] = useReducer(editorReducer, workflow, initialState);
  const [tab, setTab] = useState<Tab>('form');
  const [localProblems, setLocalProblems] = useState<ReadonlyMap<string, LocalProblem>>(new Map());
  // A BAD_REQUEST's issues belong to the draft that was sent; they go away with the next edit.
  const [rejected, setRejected] = useState<{ draft: string; issues: EditorIssue[] } | null>(null);
  const [conflict, setConflict] = useState<{ currentVersion: number | undefined } | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  const { draft } = state;
  const dirty = isDirty(state);
  const issues = useMemo(() => {
    const found = validateDraft(draft);
    return rejected && rejected.draft === draftText(draft) ? [...found, ...rejected.issues] : found;
  }, [draft, rejected]);
  const problems: Problem[] = [
    ...(state.jsonError ? [{ where: 'JSON', message: describeJsonError(state.jsonError) }] : []),
    ...issues,
    ...localProblems.values(),
  ];

  const setLocalProblem = useCallback((id: string, problem: LocalProblem | null) => {
    setLocalProblems((current) => {
      if (!problem && !current.has(id)) return current;
      const existing = current.get(id);
      if (problem && existing?.message === problem.message && existing.where === problem.where)
        return current;
      const next = new Map(current);
      if (problem) next.set(id, problem);
      else next.delete(id);
      return next;
    });
  }, []);

  // Kept identical while the messages stay the same, so typing re-renders only what it changes.
  const issuesByField = useSameWhileEqual(indexIssues(issues), issuesText);
  const readOnly = state.jsonError !== null;
  const context = useMemo<EditorContextValue>(
    () => ({ dispatch, issues: issuesByField, readOnly, setLocalProblem }),
    [issuesByField, readOnly, setLocalProblem],
  );

  const update = useMutation(trpc.workflows.update.mutationOptions());
  const canSave = dirty && problems.length === 0 && !update.isPending && conflict === null;

  const save = () => {
    if (update.isPending || !dirty) return;
    if (conflict) return;
    if (problems.length > 0) {
      toaster.error({
        title: 'Not saved yet',
        description: `Fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} listed above first.`,
      });
      return;
    }
    const sent: Draft = draft;
    update.mutate(
      {
        id: workflow.id,
        version: state.version,
        name: sent.name,
        description: sent.description,
        definition: sent.definition as CreateWorkflowInput['definition'],
      },
      {
        onSuccess: (saved) => {
          dispatch({ type: 'saved', sent, workflow: saved });
          setRejected(null);
          void cache.stored(saved);
        },
        onError: (error) => {
          const code = apiErrorCode(error);
          if (code === 'CONFLICT') {
            const details = isApiError(error)
              ? (error.data?.details as { currentVersion?: number } | undefined)
              : undefined;
            setConflict({ currentVersion: details?.currentVersion });
          } else if (code === 'BAD_REQUEST' && isApiError(error) && error.data?.issues?.length) {
            setRejected({ draft: draftText(sent), issues: serverIssues(error.data.issues, sent.definition) });
          } else if (code !== 'UNAUTHORIZED') {
            toaster.error({ title: 'Could not save the workflow', description: error.message });
          }
        },
      },
    );
  };

  // ⌘S / Ctrl-S saves from anywhere on the page, instead of the browser's "Save page as".
  const onKeyDown = useLatest((event: KeyboardEvent) => {
    if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      save();
    }
  });
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onKeyDown]);

  // A workflow just created from the dashboard starts with its name selected, ready to be typed over.
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  useEffect(() => {
    if (justCreated) nameInput.current?.select();
  }, [justCreated]);

  const reload = async () => {
    const latest = await cache.fetch(workflow.id).catch((error: Error) => {
      toaster.error({ title: 'Could not reload the workflow', description: error.message });
      return undefined;
    });
    if (!latest) return;
    dispatch({ type: 'load', workflow: latest });
    setConflict(null);
    setRejected(null);
  };

  const showProblem = (problem: Problem) => {
    const inForm = problem.field !== undefined && formProblem(draft.definition) === undefined;
    const target = inForm ? 'form' : 'json';
    setTab(target);
    requestAnimationFrame(() => {
      const element =
        target === 'form' && problem.field
          ? document.querySelector<HTMLElement>(`[data-field="${CSS.escape(problem.field)}"]`)
          : document.querySelector<HTMLElement>('textarea[data-json-editor]');
      element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
      const focusable = element?.matches('input, textarea, select')
        ? element
        : element?.querySelector<HTMLElement>('input:not([type=hidden]):not([readonly]), textarea, select');
      focusable?.focus({ preventScroll: true });
    });
  };

  const definitionProblem = formProblem(draft.definition);
  // Same objects while the definition is unchanged, so the memoized cards skip a re-render.
  const { trigger, steps } = useMemo(
    () => ({
      trigger: asRecord(asRecord(draft.definition).trigger),
      steps: stepsOf(draft.definition).map(asRecord),
    }),
    [draft.definition],
  );

  return (
    <EditorContext value={context}>
      <title>{`${draft.name.trim() || 'Untitled workflow'} · AutomateOS`}</title>
      <LeaveGuard when={dirty} />
      <Stack gap="6" maxW="4xl" mx="auto">
        <Stack gap="3">
          <Link asChild fontSize="sm" color="fg.muted" alignSelf="start">
            <RouterLink to="/">
              <ChevronLeftIcon boxSize="4" />
              Workflows
            </RouterLink>
          </Link>
          <HStack justify="space-between" gap="4" wrap="wrap" align="center">
            <HStack gap="3" minW="0" flex="1">
              <Heading as="h1" size="2xl" truncate title={draft.name}>
                {draft.name.trim() || 'Untitled workflow'}
              </Heading>
              <SaveStatus dirty={dirty} saving={update.isPending} />
            </HStack>
            <HStack gap="2">
              <Button asChild variant="ghost" size="sm">
                <RouterLink to={executionsPath(workflow.id)}>
                  <HistoryIcon />
                  Executions
                </RouterLink>
              </Button>
              {/* The saved workflow runs, so its saved trigger decides the button. */}
              <RunButton workflowId={workflow.id} triggerType={workflow.definition.trigger.type} />
              <Button
                colorPalette="blue"
                size="sm"
                onClick={save}
                disabled={!canSave}
                loading={update.isPending}
                loadingText="Saving…"
                title={
                  problems.length > 0 ? 'Fix the problems listed on the page to save' : 'Save (⌘S / Ctrl-S)'
                }
              >
                Save
                <Kbd size="sm" variant="subtle" hideBelow="md">
                  {isMac() ? '⌘S' : 'Ctrl S'}
                </Kbd>
              </Button>
            </HStack>
          </HStack>
        </Stack>

        {conflict && (
          <ConflictAlert currentVersion={conflict.currentVersion} draft={draft} onReload={reload} />
        )}

        <ProblemSummary problems={problems} onShow={showProblem} />

        {/* Tabs.Root holds only the tab list: its context changes on every render, and wrapping the
            panels in it made each keystroke walk the whole form. Both panels stay mounted, because the
            form's inputs hold text that is not part of the definition yet (a JSON body being typed, two
            headers with the same name) which a tab switch must not drop. */}
        <Tabs.Root
          value={tab}
          onValueChange={({ value }) => setTab(value as Tab)}
          variant="line"
          ids={{ trigger: (value) => `editor-tab-${value}`, content: (value) => `editor-panel-${value}` }}
        >
          <Tabs.List>
            <Tabs.Trigger value="form">Form</Tabs.Trigger>
            <Tabs.Trigger value="json">
              <BracesIcon boxSize="4" />
              JSON
              {state.jsonError && (
                <Badge colorPalette="red" size="sm" variant="solid">
                  invalid
                </Badge>
              )}
            </Tabs.Trigger>
            {workflow.webhookUrl && <Tabs.Trigger value="deliveries">Deliveries</Tabs.Trigger>}
          </Tabs.List>
        </Tabs.Root>

        <TabPanel value="form" selected={tab}>
          {state.jsonError && (
            <Alert.Root status="info" mb="6">
              <Alert.Indicator />
              <Alert.Content>
                <Alert.Title>The JSON tab has a syntax error</Alert.Title>
                <Alert.Description>
                  The form shows the last valid JSON and is read-only until the error is fixed, so nothing you
                  typed there is lost.
                </Alert.Description>
              </Alert.Content>
              <Button size="sm" variant="outline" onClick={() => setTab('json')}>
                Go to JSON
              </Button>
            </Alert.Root>
          )}
          <DetailsCard name={draft.name} description={draft.description} nameInput={nameInput} />
          {definitionProblem ? (
            <Alert.Root status="error">
              <Alert.Indicator />
              <Alert.Content>
                <Alert.Title>The form cannot show this definition</Alert.Title>
                <Alert.Description>{definitionProblem} Fix it in the JSON tab.</Alert.Description>
              </Alert.Content>
            </Alert.Root>
          ) : (
            <>
              <TriggerCard workflow={workflow} trigger={trigger} version={state.version} />
              <StepList steps={steps} stepKeys={state.stepKeys} triggerType={trigger.type} />
            </>
          )}
        </TabPanel>

        <TabPanel value="json" selected={tab}>
          <JsonTab text={state.jsonText} error={state.jsonError} definition={draft.definition} />
        </TabPanel>

        <TabPanel value="deliveries" selected={tab}>
          {tab === 'deliveries' && <DeliveriesTab workflowId={workflow.id} />}
        </TabPanel>
      </Stack>
    </EditorContext>
  );
}

const issuesText = (issues: ReadonlyMap<string, readonly string[]>) => JSON.stringify([...issues]);

/** `value`, or the value of an earlier render when `key` says they are the same. */
function useSameWhileEqual<T>(value: T, key: (value: T) => string): T {
  const current = key(value);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `value` is represented by its key
  return useMemo(() => value, [current]);
}

function TabPanel({ value, selected, children }: { value: Tab; selected: Tab; children: ReactNode }) {
  return (
    <Stack
      gap="0"
      role="tabpanel"
      id={`editor-panel-${value}`}
      aria-labelledby={`editor-tab-${value}`}
      hidden={value !== selected}
    >
      {children}
    </Stack>
  );
}

function SaveStatus({ dirty, saving }: { dirty: boolean; saving: boolean }) {
  if (saving) return null;
  return dirty ? (
    <Badge colorPalette="orange" variant="subtle" flexShrink={0}>
      Unsaved changes
    </Badge>
  ) : (
    <Text fontSize="sm" color="fg.muted" flexShrink={0}>
      Saved
    </Text>
  );
}

function isMac() {
  return /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
}
