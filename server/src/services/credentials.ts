/**
 * Credentials of one user. Secret fields are encrypted before they are written and never leave
 * this module in an answer; the public fields and which secret fields are set are stored beside
 * them in plain JSON, so listing decrypts nothing. Another user's credential is simply "not found",
 * here and when a workflow names it. The REST API and the CLI call these functions too.
 */
import { randomUUID } from 'node:crypto';
import {
  type AnyCredentialSpec,
  type CredentialDataPatch,
  type CredentialType,
  type CredentialValue,
  type createCredentialInput,
  credentialReferences,
  credentialTypes,
  isRecord,
  type WorkflowDefinition,
} from '@automateos/shared';
import { and, asc, eq, inArray, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Config } from '../config';
import type { CheckResult } from '../credentials/checks';
import { CredentialDecryptionError, MissingKeyError, openSecrets, sealSecrets } from '../credentials/crypto';
import type { Keyring } from '../credentials/keys';
import { Redactor } from '../credentials/redact';
import { implementationOf, secretsOf } from '../credentials/registry';
import type { Db } from '../db/client';
import { sqlState, violatedConstraint } from '../db/errors';
import { credentials, workflowCredentials, workflows } from '../db/schema';
import { HttpStepError, type OutboundHttp } from '../net/http-client';
import { invalidInput, notFound, ServiceError } from './errors';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
type CredentialRow = typeof credentials.$inferSelect;
/** `credentials.create`'s input, checked: each type with its own data. */
export type NewCredential = z.output<typeof createCredentialInput>;

/** What the API answers for a credential: never a secret value, only which secret fields are set. */
export interface Credential {
  id: string;
  name: string;
  type: CredentialType;
  /** The public fields (an SMTP host, a header name…). */
  data: Record<string, unknown>;
  /** The secret fields that hold a value: the edit form says "saved, leave blank to keep". */
  storedSecrets: string[];
  createdAt: Date;
  updatedAt: Date;
  lastUsedAt: Date | null;
  /** The workflows whose current definition uses it. */
  usedBy: { id: string; name: string }[];
}

/** What decrypting and checking a credential needs. */
export interface CredentialDeps {
  db: Db;
  keyring: Keyring;
}

/** What `testCredential` needs besides: the web process's guarded outbound layer and the API base URLs. */
export interface CredentialTestDeps extends CredentialDeps {
  http: OutboundHttp;
  config: Pick<Config, 'NOTION_API_URL' | 'SLACK_API_URL'>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (id: string) => UUID.test(id);

const publicColumns = {
  id: credentials.id,
  name: credentials.name,
  type: credentials.type,
  publicData: credentials.publicData,
  storedSecrets: credentials.storedSecrets,
  createdAt: credentials.createdAt,
  updatedAt: credentials.updatedAt,
  lastUsedAt: credentials.lastUsedAt,
};
type PublicRow = Pick<CredentialRow, keyof typeof publicColumns>;

const own = (userId: string, id: string) => and(eq(credentials.id, id), eq(credentials.userId, userId));

async function usedByOf(db: Pick<Db, 'select'>, userId: string, credentialIds: string[]) {
  if (credentialIds.length === 0) return new Map<string, { id: string; name: string }[]>();
  const rows = await db
    .select({ credentialId: workflowCredentials.credentialId, id: workflows.id, name: workflows.name })
    .from(workflowCredentials)
    .innerJoin(workflows, eq(workflows.id, workflowCredentials.workflowId))
    .where(and(inArray(workflowCredentials.credentialId, credentialIds), eq(workflows.userId, userId)))
    .orderBy(asc(workflows.name), asc(workflows.id));
  const byCredential = new Map<string, { id: string; name: string }[]>();
  for (const { credentialId, id, name } of rows) {
    byCredential.set(credentialId, [...(byCredential.get(credentialId) ?? []), { id, name }]);
  }
  return byCredential;
}

function toCredential(row: PublicRow, usedBy: { id: string; name: string }[]): Credential {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    data: row.publicData,
    storedSecrets: row.storedSecrets,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    lastUsedAt: row.lastUsedAt,
    usedBy,
  };
}

export async function listCredentials(db: Db, userId: string): Promise<Credential[]> {
  const rows = await db
    .select(publicColumns)
    .from(credentials)
    .where(eq(credentials.userId, userId))
    .orderBy(sql`lower(${credentials.name})`, asc(credentials.id));
  const usedBy = await usedByOf(
    db,
    userId,
    rows.map((row) => row.id),
  );
  return rows.map((row) => toCredential(row, usedBy.get(row.id) ?? []));
}

export async function getCredential(db: Db, userId: string, id: string): Promise<Credential> {
  if (!isUuid(id)) throw notFound('Credential');
  const [row] = await db.select(publicColumns).from(credentials).where(own(userId, id));
  if (!row) throw notFound('Credential');
  const usedBy = await usedByOf(db, userId, [id]);
  return toCredential(row, usedBy.get(id) ?? []);
}

/** The data split into what is stored in plain JSON and what is encrypted. */
function splitData(spec: AnyCredentialSpec, data: Record<string, unknown>) {
  const publicData: Record<string, unknown> = {};
  const secrets: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(data)) {
    if (value === undefined) continue;
    if (spec.secretFields.includes(name)) secrets[name] = value;
    else publicData[name] = value;
  }
  return { publicData, secrets, storedSecrets: Object.keys(secrets) };
}

const nameTaken = (name: string) =>
  invalidInput([
    { path: ['name'], message: `You already have a credential named "${name}": pick another name` },
  ]);

const isNameTaken = (error: unknown) =>
  sqlState(error) === '23505' && violatedConstraint(error) === 'credentials_user_name_unique';

export async function createCredential(
  { db, keyring }: CredentialDeps,
  userId: string,
  input: NewCredential,
): Promise<Credential> {
  const id = randomUUID();
  const { publicData, secrets, storedSecrets } = splitData(credentialTypes[input.type], input.data);
  const sealed = sealSecrets(keyring, { id, userId, type: input.type }, secrets);
  try {
    const [row] = await db
      .insert(credentials)
      .values({ id, userId, name: input.name, type: input.type, publicData, storedSecrets, ...sealed })
      .returning(publicColumns);
    if (!row) throw new Error('insert returned nothing');
    return toCredential(row, []);
  } catch (error) {
    if (isNameTaken(error)) throw nameTaken(input.name);
    throw error;
  }
}

export interface CredentialChanges {
  id: string;
  name?: string | undefined;
  /** Fields to change: one left out (or a secret one sent as "") keeps its value, null removes it. */
  data?: CredentialDataPatch | undefined;
}

function unreadable(error: unknown): ServiceError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ServiceError(
    'PRECONDITION_FAILED',
    `This credential's secrets cannot be read: ${reason} Create it again with its values.`,
  );
}

/** The stored data with a patch applied, checked against the credential's type. */
function patched(spec: AnyCredentialSpec, stored: Record<string, unknown>, patch: CredentialDataPatch) {
  const merged: Record<string, unknown> = { ...stored };
  for (const [name, value] of Object.entries(patch)) {
    if (value === null) delete merged[name];
    else if (value === '' && spec.secretFields.includes(name)) continue;
    else merged[name] = value;
  }
  const parsed = spec.dataSchema.safeParse(merged);
  if (!parsed.success) {
    throw invalidInput(
      parsed.error.issues.map((issue) => ({
        path: ['data', ...issue.path.map((key) => (typeof key === 'number' ? key : String(key)))],
        message:
          issue.code === 'unrecognized_keys'
            ? `Unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => `"${key}"`).join(', ')}: ${spec.title} credentials have ${Object.keys(spec.fields).join(', ')}`
            : issue.message,
      })),
    );
  }
  // The spec's schema checked it; its output is that type's data, an object.
  return isRecord(parsed.data) ? parsed.data : {};
}

export async function updateCredential(
  { db, keyring }: CredentialDeps,
  userId: string,
  changes: CredentialChanges,
): Promise<Credential> {
  if (!isUuid(changes.id)) throw notFound('Credential');
  try {
    return await db.transaction(async (tx) => {
      const [row] = await tx.select().from(credentials).where(own(userId, changes.id)).for('update');
      if (!row) throw notFound('Credential');
      const spec = credentialTypes[row.type];
      let sealed = {};
      if (changes.data !== undefined) {
        let secrets: unknown;
        try {
          secrets = openSecrets(keyring, { id: row.id, userId, type: row.type }, row.encryptedData);
        } catch (error) {
          if (error instanceof MissingKeyError || error instanceof CredentialDecryptionError)
            throw unreadable(error);
          throw error;
        }
        const data = patched(
          spec,
          { ...row.publicData, ...(isRecord(secrets) ? secrets : {}) },
          changes.data,
        );
        const split = splitData(spec, data);
        sealed = {
          publicData: split.publicData,
          storedSecrets: split.storedSecrets,
          ...sealSecrets(keyring, { id: row.id, userId, type: row.type }, split.secrets),
        };
      }
      const [updated] = await tx
        .update(credentials)
        .set({ ...(changes.name !== undefined && { name: changes.name }), ...sealed })
        .where(own(userId, row.id))
        .returning(publicColumns);
      if (!updated) throw notFound('Credential');
      const usedBy = await usedByOf(tx, userId, [row.id]);
      return toCredential(updated, usedBy.get(row.id) ?? []);
    });
  } catch (error) {
    if (isNameTaken(error) && changes.name !== undefined) throw nameTaken(changes.name);
    throw error;
  }
}

/** Deletes the credential, unless a workflow still uses it: then CONFLICT, with those workflows. */
export async function deleteCredential(db: Db, userId: string, id: string): Promise<{ id: string }> {
  if (!isUuid(id)) throw notFound('Credential');
  const unused = notExists(
    db
      .select({ one: sql`1` })
      .from(workflowCredentials)
      .where(eq(workflowCredentials.credentialId, credentials.id)),
  );
  try {
    const [row] = await db
      .delete(credentials)
      .where(and(own(userId, id), unused))
      .returning({ id: credentials.id });
    if (row) return row;
  } catch (error) {
    // A workflow started using it while this ran: its foreign key refused the delete.
    if (sqlState(error) !== '23503') throw error;
  }
  const credential = await getCredential(db, userId, id);
  throw inUse(credential);
}

function inUse(credential: Credential): ServiceError {
  const names = credential.usedBy.map((workflow) => `"${workflow.name}"`);
  const count = credential.usedBy.length;
  const shown = count > 5 ? `${names.slice(0, 5).join(', ')} and ${count - 5} more` : names.join(', ');
  return new ServiceError(
    'CONFLICT',
    `"${credential.name}" is used by ${count === 1 ? 'the workflow' : `${count} workflows:`} ${shown}. Change ${count === 1 ? 'it' : 'them'} to use another credential first.`,
    { usedBy: credential.usedBy },
  );
}

// ---------------------------------------------------------------------------------------------
// Decrypted, for the worker and for `test`
// ---------------------------------------------------------------------------------------------

/** Why a credential cannot be used: the worker fails the step with this message. */
export class CredentialUnavailableError extends Error {
  constructor(
    message: string,
    readonly code: 'CREDENTIAL_NOT_FOUND' | 'CREDENTIAL_UNREADABLE',
  ) {
    super(message);
  }
}

function decrypt(keyring: Keyring, row: CredentialRow): CredentialValue {
  let secrets: unknown;
  try {
    secrets = openSecrets(keyring, { id: row.id, userId: row.userId, type: row.type }, row.encryptedData);
  } catch (error) {
    if (error instanceof MissingKeyError || error instanceof CredentialDecryptionError) {
      throw new CredentialUnavailableError(
        `The credential "${row.name}" cannot be decrypted: ${error.message}`,
        'CREDENTIAL_UNREADABLE',
      );
    }
    throw error;
  }
  const parsed = credentialTypes[row.type].dataSchema.safeParse({
    ...row.publicData,
    ...(isRecord(secrets) ? secrets : {}),
  });
  if (!parsed.success) {
    throw new CredentialUnavailableError(
      `The credential "${row.name}" no longer fits its type (${parsed.error.issues[0]?.message}). Edit it on the Credentials page.`,
      'CREDENTIAL_UNREADABLE',
    );
  }
  return { id: row.id, name: row.name, type: row.type, data: parsed.data };
}

/**
 * The user's credential, decrypted. Throws CredentialUnavailableError when it does not exist (or
 * is another user's: the same answer) or cannot be decrypted.
 */
export async function loadCredential(
  { db, keyring }: CredentialDeps,
  userId: string,
  id: string,
): Promise<CredentialValue> {
  const [row] = isUuid(id) ? await db.select().from(credentials).where(own(userId, id)) : [];
  if (!row) {
    throw new CredentialUnavailableError(
      'The credential this step uses does not exist any more: pick another one in the step.',
      'CREDENTIAL_NOT_FOUND',
    );
  }
  return decrypt(keyring, row);
}

/** Records that a step used the credential; at most once a minute, so busy workflows do not write each time. */
export async function markCredentialUsed(db: Db, id: string): Promise<void> {
  await db
    .update(credentials)
    .set({ lastUsedAt: sql`now()` })
    .where(
      and(
        eq(credentials.id, id),
        or(isNull(credentials.lastUsedAt), lt(credentials.lastUsedAt, sql`now() - interval '1 minute'`)),
      ),
    );
}

/** A redactor for everything that may hold this credential's secrets. */
export const redactorFor = (credential: CredentialValue) =>
  new Redactor().add(secretsOf(credential.type, credential.data));

/** Checks that run at once per user (each holds a connection to somewhere for up to 10 s). */
const MAX_TESTS_PER_USER = 2;
const testsRunning = new Map<string, number>();

/** The type's harmless check (Notion users/me, Slack auth.test, SMTP verify), in the web process. */
export async function testCredential(
  deps: CredentialTestDeps,
  userId: string,
  id: string,
): Promise<CheckResult> {
  if (!isUuid(id)) throw notFound('Credential');
  const [row] = await deps.db.select().from(credentials).where(own(userId, id));
  if (!row) throw notFound('Credential');
  const spec = credentialTypes[row.type];
  const implementation = implementationOf(row.type);
  if (!implementation.test) {
    throw new ServiceError(
      'BAD_REQUEST',
      `${spec.title} credentials have no test: there is no harmless call to make with them. Use one in a step and run it.`,
    );
  }
  const running = testsRunning.get(userId) ?? 0;
  if (running >= MAX_TESTS_PER_USER) {
    throw new ServiceError(
      'TOO_MANY_REQUESTS',
      'Other credential tests are still running. Try again in a few seconds.',
    );
  }
  testsRunning.set(userId, running + 1);
  let credential: CredentialValue | undefined;
  try {
    credential = decrypt(deps.keyring, row);
    const result = await implementation.test(credential.data, {
      http: deps.http,
      config: deps.config,
      signal: AbortSignal.timeout(15_000),
    });
    return { ok: result.ok, message: redactorFor(credential).text(result.message) };
  } catch (error) {
    if (error instanceof CredentialUnavailableError) return { ok: false, message: error.message };
    if (!(error instanceof HttpStepError) || !credential) throw error;
    return { ok: false, message: redactorFor(credential).text(error.message) };
  } finally {
    const left = (testsRunning.get(userId) ?? 1) - 1;
    if (left > 0) testsRunning.set(userId, left);
    else testsRunning.delete(userId);
  }
}

// ---------------------------------------------------------------------------------------------
// Workflows that name credentials
// ---------------------------------------------------------------------------------------------

const typeList = (types: readonly CredentialType[]) => {
  const titles = types.map((type) => credentialTypes[type].title);
  return titles.length > 1 ? `${titles.slice(0, -1).join(', ')} or ${titles.at(-1)}` : (titles[0] ?? '');
};

/**
 * Checks the credentials a definition's steps name — each the user's own, of a type the step takes
 * — and records them as the workflow's. Inside the save's transaction, holding the credentials
 * (FOR SHARE) so none is deleted before the commit. Another user's id gets the very answer of an
 * id that exists for nobody.
 */
export async function saveWorkflowCredentials(
  tx: Tx,
  userId: string,
  workflowId: string,
  definition: WorkflowDefinition,
): Promise<void> {
  const references = credentialReferences(definition);
  const ids = [...new Set(references.map((reference) => reference.credentialId))].filter(isUuid);
  const rows =
    ids.length === 0
      ? []
      : await tx
          .select({ id: credentials.id, name: credentials.name, type: credentials.type })
          .from(credentials)
          .where(and(eq(credentials.userId, userId), inArray(credentials.id, ids)))
          .for('share');
  const byId = new Map(rows.map((row) => [row.id, row]));
  const issues = references.flatMap(({ credentialId, path, types, stepIndex }) => {
    const found = byId.get(credentialId);
    const at = ['definition', ...path];
    if (!found) return [{ path: at, message: 'Credential not found: pick one of your credentials' }];
    if (types.includes(found.type)) return [];
    return [
      {
        path: at,
        message: `"${found.name}" is a ${credentialTypes[found.type].title} credential; ${stepIndex === null ? 'the trigger' : 'this step'} takes a ${typeList(types)} credential`,
      },
    ];
  });
  if (issues.length > 0) throw invalidInput(issues);

  await tx.delete(workflowCredentials).where(eq(workflowCredentials.workflowId, workflowId));
  if (rows.length > 0) {
    await tx.insert(workflowCredentials).values(rows.map((row) => ({ workflowId, credentialId: row.id })));
  }
}
