/**
 * `automateos`: workflows, runs, executions and credentials from the terminal, through the same
 * typed tRPC API the web app uses, signed in with a personal access token.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  type AnyCredentialSpec,
  type CredentialType,
  createCredentialInput,
  credentialTypeNames,
  credentialTypes,
  type ExecutionStatus,
  exportFileSchema,
  formatIssues,
  importedCredentials,
  isOptionalField,
  isTerminalStatus,
  TOKEN_PATTERN,
  toPortableCredentials,
  WORKFLOW_PAGE_MAX,
  withCredentialIds,
} from '@automateos/shared';
import { Command, CommanderError, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { type ApiClient, apiClient } from './api';
import { configFile, currentLogin, type Login, normaliseUrl, removeLogin, saveLogin } from './config';
import { CliError, EXIT, fromApiError } from './errors';
import { askSecret, parseJson, readData, readFileOrFail, readStdin } from './input';
import { duration, printJson, table, when } from './output';

const program = new Command()
  .name('automateos')
  .description('AutomateOS from the terminal: workflows, runs, executions and credentials.')
  .option('--json', 'print JSON for scripts instead of tables')
  .showHelpAfterError('(add --help for usage)')
  .exitOverride();

const json = () => program.opts().json === true;
const say = (line: string): void => void process.stdout.write(`${line}\n`);
/** Progress and notes go to stderr, so stdout holds only the answer. */
const note = (line: string): void => void process.stderr.write(`${line}\n`);

let login: Login | undefined;
function api(): ApiClient {
  login ??= currentLogin();
  return apiClient(login);
}

/** A workflow by id or by exact name (case-insensitive), as `gh` takes a repository by name. */
async function workflowId(client: ApiClient, ref: string): Promise<string> {
  if (/^[0-9a-f-]{36}$/i.test(ref)) return ref;
  const id = await workflowNamed(client, ref);
  if (id) return id;
  throw new CliError(`No workflow named "${ref}" (automateos workflows list shows them).`, EXIT.notFound);
}

/** The user's workflows (names containing `search`, if given), most recently changed first, a page at a time. */
async function* workflowPages(client: ApiClient, search?: string) {
  let cursor: string | undefined;
  do {
    const page = await client.workflows.list.query({
      ...(search && { search }),
      ...(cursor && { cursor }),
      limit: WORKFLOW_PAGE_MAX,
    });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** The one workflow of that exact name (case-insensitive); undefined when none; a usage error when several. */
async function workflowNamed(client: ApiClient, name: string): Promise<string | undefined> {
  const matches: { id: string }[] = [];
  // Every page of the search: a namesake may be on any of them. Two are enough to know.
  for await (const items of workflowPages(client, name)) {
    matches.push(...items.filter((item) => item.name.toLowerCase() === name.toLowerCase()));
    if (matches.length > 1) break;
  }
  if (matches.length > 1)
    throw new CliError(
      `${matches.length} workflows are named "${name}": use the id (automateos workflows list).`,
      EXIT.usage,
    );
  return matches[0]?.id;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('Give a whole number from 1.');
  return n;
}

/** A credential of the user's by id or by name (case-insensitive). */
const findCredential = <C extends { id: string; name: string }>(own: C[], ref: string) =>
  own.find((c) => c.id === ref || c.name.toLowerCase() === ref.toLowerCase());

// --- login --------------------------------------------------------------------------------------

program
  .command('login')
  .description(
    'verify a personal access token (made on the API tokens page) and store it with the server URL',
  )
  .option('--url <url>', 'the server', process.env.AUTOMATEOS_URL ?? 'http://localhost:3000')
  .addOption(new Option('--token-stdin', 'read the token from stdin instead of asking'))
  .action(async (options) => {
    const url = normaliseUrl(options.url);
    const token = (
      options.tokenStdin || !process.stdin.isTTY ? await readStdin() : await askSecret('Token: ')
    ).trim();
    if (!TOKEN_PATTERN.test(token))
      throw new CliError(
        'That is not an AutomateOS token (they start with aos_). Create one on the API tokens page.',
        EXIT.usage,
      );
    const candidate = { url, token };
    const me = await apiClient(candidate)
      .auth.me.query()
      .catch((error: unknown) => {
        throw fromApiError(error, url);
      });
    if (!me)
      throw new CliError('The server refused this token: it is unknown, revoked or expired.', EXIT.auth);
    const file = saveLogin(candidate);
    if (json()) printJson({ url, user: me.user, config: file });
    else say(`Logged in to ${url} as ${me.user.email}. Token stored in ${file} (readable by you only).`);
  });

program
  .command('logout')
  .description('forget the stored token (revoke it on the API tokens page to disable it)')
  .action(() => {
    const removed = removeLogin();
    if (json()) printJson({ loggedOut: removed });
    else say(removed ? `Removed ${configFile()}.` : 'Not logged in.');
  });

program
  .command('whoami')
  .description('the account and server the token belongs to')
  .action(async () => {
    const me = await api().auth.me.query();
    if (!me)
      throw new CliError(
        'The server refused the token: it is unknown, revoked or expired. Run `automateos login`.',
        EXIT.auth,
      );
    if (json()) printJson({ url: login?.url, user: me.user });
    else say(`${me.user.email} on ${login?.url}`);
  });

// --- workflows ----------------------------------------------------------------------------------

const workflows = program
  .command('workflows')
  .description('list, get, pull, push, activate and deactivate workflows');

workflows
  .command('list')
  .description('your workflows, most recently changed first')
  .option('--search <text>', 'only names containing the text')
  .option('--limit <n>', 'at most this many (default: all)', positiveInteger)
  .action(async (options) => {
    const items = [];
    for await (const page of workflowPages(api(), options.search)) {
      items.push(...page);
      if (options.limit !== undefined && items.length >= options.limit) break;
    }
    items.splice(options.limit ?? items.length);
    if (json()) return printJson(items);
    if (items.length === 0)
      return say('No workflows yet. Create one from a file: automateos workflows push <file>');
    say(
      table(
        ['ID', 'NAME', 'ACTIVE', 'TRIGGER', 'STEPS', 'LAST RUN'],
        items.map((w) => [
          w.id,
          w.name,
          w.active ? 'on' : 'off',
          w.triggerType,
          String(w.stepCount),
          w.lastExecution ? `${w.lastExecution.status} ${when(w.lastExecution.createdAt)}` : '-',
        ]),
      ),
    );
  });

workflows
  .command('get')
  .description('one workflow, with its definition')
  .argument('<workflow>', 'id or name')
  .action(async (ref) => {
    const client = api();
    const workflow = await client.workflows.get.query({ id: await workflowId(client, ref) });
    if (json()) return printJson(workflow);
    say(`${workflow.name}  (${workflow.active ? 'active' : 'inactive'}, version ${workflow.version})`);
    say(`id:       ${workflow.id}`);
    if (workflow.webhookUrl) say(`webhook:  ${workflow.webhookUrl}`);
    say(`trigger:  ${workflow.definition.trigger.type}`);
    for (const [i, step] of workflow.definition.steps.entries())
      say(`step ${i + 1}:   ${step.id} (${step.type}) ${step.name}`);
  });

workflows
  .command('pull')
  .description('write a workflow to a file in the export format (credentials by name)')
  .argument('<workflow>', 'id or name')
  .argument('[file]', 'where to write it; - or nothing for stdout')
  .action(async (ref, file) => {
    const client = api();
    const [workflow, { items }] = await Promise.all([
      client.workflows.get.query({ id: await workflowId(client, ref) }),
      client.credentials.list.query(),
    ]);
    const portable = toPortableCredentials(workflow.definition, (id) => items.find((c) => c.id === id));
    const text = `${JSON.stringify(
      {
        automateos: 1,
        name: workflow.name,
        description: workflow.description,
        definition: portable.definition,
        ...(portable.credentials.length > 0 && { credentials: portable.credentials }),
      },
      null,
      2,
    )}\n`;
    if (!file || file === '-') return void process.stdout.write(text);
    writeFileSync(file, text);
    if (json()) printJson({ id: workflow.id, file: path.resolve(file) });
    else say(`Wrote ${workflow.name} (version ${workflow.version}) to ${file}.`);
  });

workflows
  .command('push')
  .description(
    'create or update a workflow from an export file (updates the workflow of the same name, or --id)',
  )
  .argument('<file>', 'an export file ({ "automateos": 1, name, definition, … })')
  .option('--id <id>', 'update this workflow instead of the one named in the file')
  .action(async (file, options) => {
    const parsed = exportFileSchema.safeParse(parseJsonFile(file));
    if (!parsed.success)
      throw new CliError(`${file} is not a valid workflow file:`, EXIT.failed, formatIssues(parsed.error));
    const { name, description, definition, credentials: described } = parsed.data;
    const client = api();
    const own = (await client.credentials.list.query()).items;
    // Steps name credentials by name in a file: each becomes the id of your credential of that name.
    const missing: { path: string; message: string }[] = [];
    for (const ref of importedCredentials(definition, described)) {
      const found = findCredential(own, ref.ref);
      if (!found)
        missing.push({
          path: `credential "${ref.ref}"`,
          message: `not in your account: create it with \`automateos credentials create ${ref.described?.type ?? ref.types[0] ?? '<type>'} "${ref.ref}"\``,
        });
    }
    if (missing.length > 0)
      throw new CliError(`${file} uses credentials you do not have:`, EXIT.failed, missing);
    const mapped = withCredentialIds(
      definition,
      ({ credentialId }) => findCredential(own, credentialId)?.id ?? credentialId,
    );
    // The same name rule as every other command: two workflows of that name are refused, not guessed.
    const existing = options.id ?? (await workflowNamed(client, name));
    if (existing) {
      const current = await client.workflows.get.query({ id: existing });
      const saved = await client.workflows.update.mutate({
        id: existing,
        version: current.version,
        name,
        description,
        definition: mapped,
      });
      if (json()) return printJson(saved);
      return say(`Updated ${saved.name} (${saved.id}) to version ${saved.version}.`);
    }
    const created = await client.workflows.create.mutate({ name, description, definition: mapped });
    if (json()) return printJson(created);
    say(`Created ${created.name} (${created.id}), switched off: automateos workflows activate ${created.id}`);
    if (created.webhookUrl) say(`Webhook: ${created.webhookUrl}`);
  });

for (const active of [true, false]) {
  workflows
    .command(active ? 'activate' : 'deactivate')
    .description(active ? 'switch a workflow on: its trigger starts executions' : 'switch a workflow off')
    .argument('<workflow>', 'id or name')
    .action(async (ref) => {
      const client = api();
      const workflow = await client.workflows.setActive.mutate({ id: await workflowId(client, ref), active });
      if (json()) return printJson(workflow);
      say(
        `${workflow.name} is ${active ? 'active' : 'inactive'}.${active && workflow.webhookUrl ? ` Webhook: ${workflow.webhookUrl}` : ''}`,
      );
    });
}

function parseJsonFile(file: string): unknown {
  return parseJson(readFileOrFail(file), file);
}

// --- run and executions -------------------------------------------------------------------------

const statusMark: Record<string, string> = { succeeded: '✓', filtered: '⊘', failed: '✗' };

program
  .command('run')
  .description('run a workflow now (even while off), stream each step as it finishes; exits 1 if it fails')
  .argument('<workflow>', 'id or name')
  .option('--data <json>', 'the trigger body: JSON, @file.json, or - for stdin')
  .option('--no-follow', 'print the execution id and return at once')
  .action(async (ref, options) => {
    const client = api();
    const payload = await readData(options.data);
    const id = await workflowId(client, ref);
    const { executionId } = await client.workflows.testRun.mutate({ id, payload });
    if (!options.follow) return json() ? printJson({ executionId }) : say(executionId);
    if (!json()) note(`Execution ${executionId} started.`);
    const status = await followExecution(client, executionId);
    if (status === 'failed') throw new CliError(`Execution ${executionId} failed.`, EXIT.failed);
  });

/** Prints each step once as it is recorded, and the final status; resolves with it. */
function followExecution(client: ApiClient, executionId: string): Promise<ExecutionStatus> {
  const printed = new Set<string>();
  const printStep = (step: { stepId: string; status: string; durationMs: number; error: unknown }) => {
    if (printed.has(step.stepId)) return;
    printed.add(step.stepId);
    if (json()) return printJson({ step });
    const error = step.error ? `  ${JSON.stringify(step.error)}` : '';
    say(
      `${statusMark[step.status] ?? '·'} ${step.stepId}  ${step.status}  ${duration(step.durationMs)}${error}`,
    );
  };
  return new Promise((resolve, reject) => {
    const subscription = client.executions.watch.subscribe(
      { id: executionId },
      {
        onData: ({ data }) => {
          if (data.type === 'step') printStep(data.step);
          if (data.type === 'execution' && isTerminalStatus(data.execution.status)) {
            subscription.unsubscribe();
            const execution = data.execution;
            // A run that finished before the stream began: its steps come from the execution itself.
            client.executions.get
              .query({ id: executionId })
              .then(({ steps }) => {
                for (const step of steps) printStep(step);
                if (json()) printJson({ execution });
                else
                  say(
                    `${execution.status} in ${duration(execution.durationMs)}${execution.error ? `: ${JSON.stringify(execution.error)}` : ''}`,
                  );
                resolve(execution.status);
              })
              .catch((error: unknown) => reject(fromApiError(error, login?.url ?? '')));
          }
        },
        onError: (error) => {
          subscription.unsubscribe();
          reject(fromApiError(error, login?.url ?? ''));
        },
      },
    );
  });
}

const executions = program.command('executions').description('list, show and tail executions');

executions
  .command('list')
  .description('executions, newest first')
  .option('--workflow <workflow>', 'only this workflow (id or name)')
  .addOption(
    new Option('--status <status>', 'only this status').choices([
      'queued',
      'running',
      'succeeded',
      'filtered',
      'failed',
    ] as const),
  )
  .option('--limit <n>', 'how many (1-100)', (value) => Number.parseInt(value, 10), 20)
  .action(async (options) => {
    const client = api();
    const { items } = await client.executions.list.query({
      ...(options.workflow && { workflowId: await workflowId(client, options.workflow) }),
      ...(options.status && { status: options.status }),
      limit: options.limit,
    });
    if (json()) return printJson(items);
    if (items.length === 0) return say('No executions.');
    say(
      table(
        ['ID', 'WORKFLOW', 'STATUS', 'MODE', 'STARTED', 'DURATION'],
        items.map((e) => [e.id, e.workflowName, e.status, e.mode, when(e.createdAt), duration(e.durationMs)]),
      ),
    );
  });

executions
  .command('show')
  .description('one execution with its steps')
  .argument('<id>')
  .action(async (id) => {
    const execution = await api().executions.get.query({ id });
    if (json()) return printJson(execution);
    say(
      `${execution.workflowName}  ${execution.status}  (${execution.mode}, ${when(execution.createdAt)}, ${duration(execution.durationMs)})`,
    );
    if (execution.error) say(`error: ${JSON.stringify(execution.error)}`);
    if (execution.steps.length > 0)
      say(
        table(
          ['STEP', 'TYPE', 'STATUS', 'DURATION', 'ERROR'],
          execution.steps.map((s) => [
            s.stepId,
            s.type,
            s.status,
            duration(s.durationMs),
            s.error ? JSON.stringify(s.error) : '',
          ]),
        ),
      );
  });

executions
  .command('tail')
  .description('follow executions live as they start and finish (Ctrl-C stops)')
  .option('--workflow <workflow>', 'only this workflow (id or name)')
  .action(async (options) => {
    const client = api();
    const id = options.workflow ? await workflowId(client, options.workflow) : undefined;
    const last = new Map<string, ExecutionStatus>();
    await new Promise<never>((_resolve, reject) => {
      client.executions.watchList.subscribe(
        { ...(id && { workflowId: id }) },
        {
          onStarted: () => {
            if (!json()) note('Following executions (Ctrl-C stops)…');
          },
          onData: ({ data }) => {
            if (data.type !== 'execution' || last.get(data.execution.id) === data.execution.status) return;
            last.set(data.execution.id, data.execution.status);
            const e = data.execution;
            if (json()) process.stdout.write(`${JSON.stringify(e)}\n`);
            else
              say(
                `${when(e.finishedAt ?? e.startedAt ?? e.createdAt)}  ${e.id}  ${e.workflowName}  ${e.status}  ${duration(e.durationMs)}`,
              );
          },
          onError: (error) => reject(fromApiError(error, login?.url ?? '')),
        },
      );
    });
  });

// --- credentials --------------------------------------------------------------------------------

const credentials = program
  .command('credentials')
  .description('list, create and delete credentials (secrets are write-only)');

credentials
  .command('list')
  .description('your credentials, without their secrets')
  .action(async () => {
    const { items } = await api().credentials.list.query();
    if (json()) return printJson(items);
    if (items.length === 0) return say('No credentials yet.');
    say(
      table(
        ['ID', 'NAME', 'TYPE', 'USED BY', 'LAST USED'],
        items.map((c) => [
          c.id,
          c.name,
          c.type,
          c.usedBy.map((w) => w.name).join(', ') || '-',
          when(c.lastUsedAt),
        ]),
      ),
    );
  });

credentials
  .command('create')
  .description(
    'create a credential; secret fields are asked for without echo, or read from stdin (one value, or a JSON object of fields)',
  )
  .addArgument(new Command().createArgument('<type>', 'the credential type').choices(credentialTypeNames))
  .argument('<name>')
  .option('--set <field=value...>', 'a public field (host, port, username…); never a secret', [] as string[])
  .action(async (type: CredentialType, name, options) => {
    const spec: AnyCredentialSpec = credentialTypes[type];
    const data: Record<string, unknown> = {};
    for (const pair of options.set) {
      const [field = '', ...rest] = pair.split('=');
      const value = rest.join('=');
      if (spec.secretFields.includes(field))
        throw new CliError(
          `${field} is a secret: it is asked for (or read from stdin), never taken from the command line.`,
          EXIT.usage,
        );
      if (!(field in spec.fields))
        throw new CliError(
          `${type} has no field "${field}" (fields: ${Object.keys(spec.fields).join(', ')}).`,
          EXIT.usage,
        );
      data[field] = spec.fields[field]?.input === 'number' && /^\d+$/.test(value) ? Number(value) : value;
    }
    Object.assign(data, await readSecrets(type));
    const input = createCredentialInput.safeParse({ name, type, data });
    if (!input.success)
      throw new CliError('The credential is not valid:', EXIT.failed, formatIssues(input.error));
    const created = await api().credentials.create.mutate(input.data);
    if (json()) return printJson(created);
    say(
      `Created ${created.name} (${created.type}, ${created.id}). Its secret is stored encrypted and never shown again.`,
    );
  });

/** The secret fields of a type: from stdin when it is piped, otherwise asked for one by one. */
async function readSecrets(type: CredentialType): Promise<Record<string, string>> {
  const spec: AnyCredentialSpec = credentialTypes[type];
  const secrets: Record<string, string> = {};
  if (!process.stdin.isTTY) {
    const text = (await readStdin()).replace(/\r?\n$/, '');
    if (text.trimStart().startsWith('{')) {
      const parsed = parseJson(text, 'The JSON on stdin');
      if (typeof parsed === 'object' && parsed !== null)
        for (const [field, value] of Object.entries(parsed))
          if (typeof value === 'string') secrets[field] = value;
      return secrets;
    }
    // One plain value fills the type's first secret field (a Slack bot token, an API token…).
    const [first] = spec.secretFields;
    if (!first) throw new CliError(`${type} has no secret fields: set its fields with --set.`, EXIT.usage);
    secrets[first] = text;
    return secrets;
  }
  for (const field of spec.secretFields) {
    const definition = spec.fields[field];
    const optional = definition ? isOptionalField(definition) : false;
    const value = await askSecret(
      `${definition?.label ?? field}${optional ? ' (optional, Enter to skip)' : ''}: `,
    );
    if (value !== '' || !optional) secrets[field] = value;
  }
  return secrets;
}

credentials
  .command('delete')
  .description('delete a credential (refused while a workflow uses it)')
  .argument('<credential>', 'id or name')
  .action(async (ref) => {
    const client = api();
    const { items } = await client.credentials.list.query();
    const found = findCredential(items, ref);
    if (!found)
      throw new CliError(`No credential "${ref}" (automateos credentials list shows them).`, EXIT.notFound);
    await client.credentials.delete.mutate({ id: found.id });
    if (json()) printJson({ id: found.id });
    else say(`Deleted ${found.name}.`);
  });

// --- errors -------------------------------------------------------------------------------------

try {
  await program.parseAsync();
  process.exit(EXIT.ok);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are not errors; commander has already printed what went wrong otherwise.
    process.exit(error.exitCode === 0 ? EXIT.ok : EXIT.usage);
  }
  const failure = fromApiError(error, login?.url ?? '');
  process.stderr.write(`automateos: ${failure.message}\n`);
  for (const issue of failure.issues) process.stderr.write(`  ${issue.path || '(file)'}: ${issue.message}\n`);
  process.exit(failure.exitCode);
}
