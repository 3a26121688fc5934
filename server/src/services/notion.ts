/**
 * The editor's Notion database picker: the databases (data sources) a Notion credential of the
 * user's can see, and one database's properties. Only the caller's own credential is ever used:
 * another user's id is "Credential not found", as for an id nobody has, before any request is made.
 */
import type {
  NotionDataSourceSchema,
  NotionDataSourceSummary,
  NotionDataSourcesInput,
  notionDataSourceInput,
} from '@automateos/shared';
import type { z } from 'zod';
import { TransientFailure } from '../nodes/retry';
import {
  dataSourceSchema,
  notionClient,
  notionFailure,
  retrieveDataSource,
  searchDataSources,
} from '../notion/api';
import {
  type CredentialTestDeps,
  CredentialUnavailableError,
  loadCredential,
  redactorFor,
} from './credentials';
import { notFound, ServiceError } from './errors';

const LOOKUP_TIMEOUT_MS = 15_000;

/** Runs `lookup` with a client for the user's Notion credential; Notion's refusals become readable errors. */
async function withNotion<T>(
  deps: CredentialTestDeps,
  userId: string,
  credentialId: string,
  lookup: (client: ReturnType<typeof notionClient>) => Promise<T>,
): Promise<T> {
  let credential: Awaited<ReturnType<typeof loadCredential>>;
  try {
    credential = await loadCredential(deps, userId, credentialId);
  } catch (error) {
    if (error instanceof CredentialUnavailableError) {
      throw error.code === 'CREDENTIAL_NOT_FOUND'
        ? notFound('Credential')
        : new ServiceError('PRECONDITION_FAILED', error.message);
    }
    throw error;
  }
  if (credential.type !== 'notion') throw notFound('Notion credential');
  const data: Record<string, unknown> = credential.data;
  const token = typeof data.token === 'string' ? data.token : '';
  const client = notionClient(token, {
    http: deps.http,
    baseUrl: deps.config.NOTION_API_URL,
    signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
  });
  try {
    return await lookup(client);
  } catch (error) {
    const failure = notionFailure(error);
    const { message } = failure instanceof TransientFailure ? failure.failure : failure;
    throw new ServiceError('BAD_REQUEST', redactorFor(credential).text(message));
  }
}

export function listNotionDataSources(
  deps: CredentialTestDeps,
  userId: string,
  input: NotionDataSourcesInput,
): Promise<{ items: NotionDataSourceSummary[]; nextCursor: string | null }> {
  return withNotion(deps, userId, input.credentialId, (client) =>
    searchDataSources(client, input.query, input.cursor),
  );
}

export function getNotionDataSource(
  deps: CredentialTestDeps,
  userId: string,
  input: z.output<typeof notionDataSourceInput>,
): Promise<NotionDataSourceSchema> {
  return withNotion(deps, userId, input.credentialId, async (client) =>
    dataSourceSchema(await retrieveDataSource(client, input.id)),
  );
}
