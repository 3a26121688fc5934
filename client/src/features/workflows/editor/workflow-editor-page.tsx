import { type CreateWorkflowInput, emptyDefinition } from '@automateos/shared';
import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Grid,
  Heading,
  Kbd,
  Spinner,
  Stack,
  Tabs,
  Text,
} from '@chakra-ui/react';
import { skipToken, useMutation, useQuery } from '@tanstack/react-query';
import { type ReactNode, useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { Link as RouterLink, useLocation, useNavigate, useParams } from 'react-router';
import { BracesIcon, HistoryIcon, PlayIcon } from '../../../components/icons';
import { PageHeader } from '../../../components/page-header';
import { toaster } from '../../../components/ui/toaster';
import { apiErrorCode, isApiError, useTRPC } from '../../../lib/trpc';
import { useLatest } from '../../../lib/use-latest';
import { sampleRequest } from '../../../lib/webhook-example';
import { triggerViewOf } from '../../triggers/registry';
import { DeliveriesTab } from '../../triggers/webhook/deliveries-tab';
import { describeJsonError } from '../json-text';
import { asRecord } from '../values';
import { editorPath, executionsPath, useWorkflowCache, type Workflow } from '../workflow-api';
import { ActiveSwitch } from './active-switch';
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
  isInFreshStep,
  stepsOf,
} from './editor-state';
import { FieldSamplesContext, useFieldSamples } from './field-samples';
import { type EditorIssue, indexIssues, serverIssues, validateDraft } from './issues';
import { JsonTab } from './json-tab';
import { LeaveGuard } from './leave-guard';
import { type Problem, ProblemSummary } from './problem-summary';
import { StepList } from './step-list';
import { TestRunPanel } from './test-run-panel';
import { TriggerCard } from './trigger-card';

/**
 * Route `/workflows/:id`, and `/workflows/new` for a workflow that exists only in the browser until
 * its first save. After that save the URL becomes the workflow's own, and the same editor stays on
 * screen (its key does not change), panel and all.
 */
export function WorkflowEditorPage() {
  const { id = '' } = useParams();
  const location = useLocation();
  const trpc = useTRPC();
  const isNew = id === 'new';
  const fromNew = (location.state as { fromNew?: boolean } | null)?.fromNew === true;
  // The editor keeps its own draft; refetching on focus would only cost requests.
  const workflow = useQuery({
    ...trpc.workflows.get.queryOptions(isNew ? skipToken : { id }),
    refetchOnWindowFocus: false,
  });

  if (isNew) return <WorkflowEditor key="new" workflow={null} />;
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
  // Same place and key as the new workflow's editor it was created from: it stays mounted.
  return <WorkflowEditor key={fromNew ? 'new' : id} workflow={workflow.data} />;
}

/** What a new workflow starts as: nothing is stored until it is saved. */
const newWorkflowDraft = () => ({
  name: 'Untitled workflow',
  description: '',
  definition: emptyDefinition(),
  version: 0,
});

type Tab = 'form' | 'json' | 'deliveries';

function WorkflowEditor({ workflow }: { workflow: Workflow | null }) {
  const trpc = useTRPC();
  const cache = useWorkflowCache();
  const navigate = useNavigate();
  const [state, dispatch] = useReducer(editorReducer, workflow ?? newWorkflowDraft(), initialState);
  const [tab, setTab] = useState<Tab>('form');
  const [localProblems, setLocalProblems] = useState<ReadonlyMap<string, LocalProblem>>(new Map());
  // A BAD_REQUEST's issues belong to the draft that was sent; they go away with the next edit.
  const [rejected, setRejected] = useState<{ draft: string; issues: EditorIssue[] } | null>(null);
  const [conflict, setConflict] = useState<{ currentVersion: number | undefined } | null>(null);
  const [problemsOpen, setProblemsOpen] = useState(false);
  const [testing, setTesting] = useState(false);
  const [testPayload, setTestPayload] = useState<string | null>(null);
  // Set once a new workflow has been created: the address then becomes its own.
  const [createdId, setCreatedId] = useState<string | null>(null);
  const nameInput = useRef<HTMLInputElement>(null);

  const { draft } = state;
  const isNew = workflow === null;
  const dirty = isDirty(state);
  const issues = useMemo(() => {
    const found = validateDraft(draft);
    return rejected && rejected.draft === draftText(draft) ? [...found, ...rejected.issues] : found;
  }, [draft, rejected]);
  const jsonProblems: Problem[] = state.jsonError
    ? [{ where: 'JSON', message: describeJsonError(state.jsonError) }]
    : [];
  const problems: Problem[] = [...jsonProblems, ...issues, ...localProblems.values()];
  // A step just added is not complete yet: its problems show once it is edited or a save needs it.
  const shownIssues = useMemo(
    () => issues.filter((issue) => !isInFreshStep(state, issue.path)),
    [issues, state],
  );
  const shownProblems: Problem[] = [...jsonProblems, ...shownIssues, ...localProblems.values()];

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
  const issuesByField = useSameWhileEqual(indexIssues(shownIssues), issuesText);
  const readOnly = state.jsonError !== null;
  const context = useMemo<EditorContextValue>(
    () => ({ dispatch, issues: issuesByField, readOnly, setLocalProblem }),
    [issuesByField, readOnly, setLocalProblem],
  );
  const samples = useFieldSamples(workflow?.id ?? null, testPayload);

  const update = useMutation(trpc.workflows.update.mutationOptions());
  const create = useMutation(trpc.workflows.create.mutationOptions());
  const saving = update.isPending || create.isPending;

  /** Every problem on screen, those of new steps too, with the list open at the first. */
  const revealProblems = () => {
    dispatch({ type: 'revealProblems' });
    setProblemsOpen(true);
  };

  /** Saves the draft (creating a new workflow); the saved workflow, or null when it was not saved. */
  const save = async (): Promise<Workflow | null> => {
    if (saving || conflict) return null;
    if (!dirty && workflow) return workflow;
    if (problems.length > 0) {
      revealProblems();
      toaster.error({
        title: 'Not saved',
        description: `Fix the ${problems.length === 1 ? 'problem' : `${problems.length} problems`} listed first.`,
      });
      return null;
    }
    const sent: Draft = draft;
    const definition = sent.definition as CreateWorkflowInput['definition'];
    try {
      const saved = workflow
        ? await update.mutateAsync({
            id: workflow.id,
            version: state.version,
            name: sent.name,
            description: sent.description,
            definition,
          })
        : await create.mutateAsync({ name: sent.name, description: sent.description, definition });
      dispatch({ type: 'saved', sent, workflow: saved });
      setRejected(null);
      void cache.stored(saved);
      if (!workflow) setCreatedId(saved.id);
      return saved;
    } catch (error) {
      const code = apiErrorCode(error);
      if (code === 'CONFLICT') {
        const details = isApiError(error)
          ? (error.data?.details as { currentVersion?: number } | undefined)
          : undefined;
        setConflict({ currentVersion: details?.currentVersion });
      } else if (code === 'BAD_REQUEST' && isApiError(error) && error.data?.issues?.length) {
        setRejected({ draft: draftText(sent), issues: serverIssues(error.data.issues, sent.definition) });
        setProblemsOpen(true);
      } else if (code !== 'UNAUTHORIZED') {
        toaster.error({
          title: 'Could not save the workflow',
          description: error instanceof Error ? error.message : String(error),
        });
      }
      return null;
    }
  };

  // A new workflow has its own address once saved: replace /workflows/new with it (after the render
  // that made the draft "saved", so leaving is not taken for leaving unsaved changes).
  useEffect(() => {
    if (createdId) navigate(editorPath(createdId), { replace: true, state: { fromNew: true } });
  }, [createdId, navigate]);

  // ⌘S / Ctrl-S saves from anywhere on the page, instead of the browser's "Save page as".
  const onKeyDown = useLatest((event: KeyboardEvent) => {
    if ((event.metaKey || event.ctrlKey) && !event.altKey && event.key.toLowerCase() === 's') {
      event.preventDefault();
      void save();
    }
  });
  useEffect(() => {
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [onKeyDown]);

  // A new workflow starts with its name selected, ready to be typed over.
  useEffect(() => {
    if (isNew) nameInput.current?.select();
  }, [isNew]);

  const reload = async () => {
    if (!workflow) return;
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
  const samplePayload = useMemo(
    () => JSON.stringify(sampleRequest(draft.definition).body ?? {}, null, 2),
    [draft.definition],
  );
  const definitionChanged =
    isNew || JSON.stringify(draft.definition) !== JSON.stringify(state.saved.definition);

  return (
    <EditorContext value={context}>
      <FieldSamplesContext value={samples}>
        <title>{`${draft.name.trim() || 'Untitled workflow'} · AutomateOS`}</title>
        <LeaveGuard when={dirty} />
        <Stack gap="6">
          <PageHeader
            trail={[{ label: 'Workflows', to: '/' }]}
            title={<span title={draft.name}>{draft.name.trim() || 'Untitled workflow'}</span>}
            badges={<SaveStatus isNew={isNew} dirty={dirty} saving={saving} />}
            actions={
              <>
                <ProblemSummary
                  problems={shownProblems}
                  onShow={showProblem}
                  open={problemsOpen}
                  onOpenChange={setProblemsOpen}
                />
                {workflow && (
                  <Button asChild variant="ghost" size="sm">
                    <RouterLink to={executionsPath(workflow.id)}>
                      <HistoryIcon />
                      Executions
                    </RouterLink>
                  </Button>
                )}
                <ActiveSwitch workflow={workflow} dirty={dirty} version={state.version} save={save} />
                <Button
                  size="sm"
                  variant={testing ? 'subtle' : 'outline'}
                  aria-pressed={testing}
                  onClick={() => setTesting((open) => !open)}
                >
                  <PlayIcon />
                  Test run
                </Button>
                <Button
                  colorPalette="blue"
                  size="sm"
                  onClick={() => void save()}
                  disabled={(!dirty && !isNew) || saving || conflict !== null}
                  loading={saving}
                  loadingText="Saving…"
                  title="Save (⌘S / Ctrl-S)"
                >
                  Save
                  <Kbd size="sm" variant="subtle" hideBelow="md">
                    {isMac() ? '⌘S' : 'Ctrl S'}
                  </Kbd>
                </Button>
              </>
            }
          />

          {conflict && (
            <ConflictAlert currentVersion={conflict.currentVersion} draft={draft} onReload={reload} />
          )}

          <Grid
            templateColumns={{ base: '1fr', lg: testing ? 'minmax(0, 1fr) minmax(22rem, 26rem)' : '1fr' }}
            gap="6"
            alignItems="start"
          >
            <Stack gap="6" minW="0">
              {/* Tabs.Root holds only the tab list: its context changes on every render, and wrapping the
                  panels in it made each keystroke walk the whole form. Both panels stay mounted, because the
                  form's inputs hold text that is not part of the definition yet (a JSON body being typed, two
                  headers with the same name) which a tab switch must not drop. */}
              <Tabs.Root
                value={tab}
                onValueChange={({ value }) => setTab(value as Tab)}
                variant="line"
                ids={{
                  trigger: (value) => `editor-tab-${value}`,
                  content: (value) => `editor-panel-${value}`,
                }}
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
                  {workflow?.webhookUrl && <Tabs.Trigger value="deliveries">Deliveries</Tabs.Trigger>}
                </Tabs.List>
              </Tabs.Root>

              <TabPanel value="form" selected={tab}>
                {state.jsonError && (
                  <Alert.Root status="info" mb="6">
                    <Alert.Indicator />
                    <Alert.Content>
                      <Alert.Title>The JSON tab has a syntax error</Alert.Title>
                      <Alert.Description>
                        The form shows the last valid JSON and is read-only until the error is fixed, so
                        nothing you typed there is lost.
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
                    <TriggerCard
                      workflow={workflow}
                      trigger={trigger}
                      definition={draft.definition}
                      active={workflow?.active ?? false}
                      version={state.version}
                    />
                    <StepList steps={steps} stepKeys={state.stepKeys} triggerType={trigger.type} />
                  </>
                )}
              </TabPanel>

              <TabPanel value="json" selected={tab}>
                <JsonTab text={state.jsonText} error={state.jsonError} definition={draft.definition} />
              </TabPanel>

              {workflow && (
                <TabPanel value="deliveries" selected={tab}>
                  {tab === 'deliveries' && <DeliveriesTab workflowId={workflow.id} />}
                </TabPanel>
              )}
            </Stack>

            {testing && (
              <Box
                position={{ lg: 'sticky' }}
                top="4"
                maxH={{ lg: 'calc(100dvh - 2rem)' }}
                overflowY={{ lg: 'auto' }}
              >
                <TestRunPanel
                  workflowId={workflow?.id ?? null}
                  definition={draft.definition}
                  unsaved={definitionChanged}
                  problemCount={problems.length}
                  onShowProblems={revealProblems}
                  saveFirst={async () => (await save())?.id ?? null}
                  withPayload={triggerViewOf(trigger.type)?.testRun !== 'now'}
                  samplePayload={samplePayload}
                  onPayloadChange={setTestPayload}
                  onClose={() => setTesting(false)}
                />
              </Box>
            )}
          </Grid>
        </Stack>
      </FieldSamplesContext>
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

function SaveStatus({ isNew, dirty, saving }: { isNew: boolean; dirty: boolean; saving: boolean }) {
  if (saving) return null;
  if (isNew) {
    return (
      <Badge colorPalette="orange" variant="subtle" flexShrink={0}>
        Not saved yet
      </Badge>
    );
  }
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
