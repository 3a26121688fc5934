/**
 * Notion through its own SDK (`@notionhq/client`), speaking API version 2025-09-03 (where a
 * database's rows live in data sources), with the SDK's retries off — the step's retry policy is
 * the only one — and its fetch the guarded outbound layer: every request passes the SSRF guard and
 * stops when the worker stops. Used by the Create Notion page step and by the editor's database picker.
 */
import type {
  NotionDataSourceSchema,
  NotionDataSourceSummary,
  NotionPropertySummary,
} from '@automateos/shared';
import {
  APIResponseError,
  type DataSourceObjectResponse,
  isFullDataSource,
  Client as NotionClient,
  RequestTimeoutError,
  UnknownHTTPResponseError,
} from '@notionhq/client';
import { Headers } from 'undici';
import { NOTION_VERSION } from '../credentials/checks';
import { HttpStepError, isRetryableStatus, type OutboundHttp } from '../net/http-client';
import { TransientFailure } from '../nodes/retry';
import { StepFailure } from '../nodes/types';

const REQUEST_TIMEOUT_MS = 15_000;

export interface NotionDeps {
  http: OutboundHttp;
  baseUrl: string;
  signal: AbortSignal;
}

export function notionClient(token: string, { http, baseUrl, signal }: NotionDeps): NotionClient {
  return new NotionClient({
    auth: token,
    baseUrl,
    notionVersion: NOTION_VERSION,
    timeoutMs: REQUEST_TIMEOUT_MS,
    retry: false,
    logger: () => {},
    fetch: async (url, init = {}) => {
      const { body, agent: _agent, ...rest } = init;
      // The SDK sends JSON text; FormData would be a file upload, which the step never makes.
      if (body !== undefined && typeof body !== 'string')
        throw new Error('The Notion step does not upload files.');
      return http.fetch(url, {
        ...rest,
        ...(body !== undefined ? { body } : {}),
        signal: AbortSignal.any([signal, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
        redirect: 'error',
      });
    },
  });
}

/** What to do about the error codes a user can fix; Notion's own message is always shown too. */
const ADVICE: Record<string, string> = {
  unauthorized: 'Check the integration token in the Notion credential.',
  restricted_resource:
    'Share the page or database with the integration (… → Connections → your integration).',
  object_not_found:
    'Check the id, and share the page or database with the integration (… → Connections → your integration).',
  validation_error: 'Check the property values against the database.',
};

/**
 * A Notion SDK failure in the step log's words: Notion's `code` and `message` as it gave them, what
 * to do, and whether the retry policy may repeat the call (429 and 5xx, honouring Retry-After).
 */
export function notionFailure(error: unknown): StepFailure | TransientFailure {
  if (error instanceof StepFailure || error instanceof TransientFailure) return error;
  if (error instanceof APIResponseError || error instanceof UnknownHTTPResponseError) {
    const code = error instanceof APIResponseError ? error.code : 'http_error';
    const advice = ADVICE[code];
    const failure = new StepFailure(
      `Notion answered ${error.status} ${code}: ${error.message}${advice ? ` ${advice}` : ''}`,
      code,
      1,
      { status: error.status, code, message: error.message },
    );
    const retryAfter = error.headers instanceof Headers ? error.headers.get('retry-after') : null;
    return isRetryableStatus(error.status) ? new TransientFailure(failure, retryAfter) : failure;
  }
  if (error instanceof RequestTimeoutError) {
    return new TransientFailure(
      new StepFailure(`Notion did not answer within ${REQUEST_TIMEOUT_MS / 1000} s.`, 'TIMEOUT'),
    );
  }
  if (error instanceof HttpStepError) {
    const failure = new StepFailure(error.message, error.code);
    return error.retryable ? new TransientFailure(failure) : failure;
  }
  return new StepFailure(
    `Notion could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    'NETWORK',
  );
}

const plain = (richText: readonly { plain_text: string }[]) =>
  richText.map((item) => item.plain_text).join('');

function propertySummary(
  name: string,
  property: DataSourceObjectResponse['properties'][string],
): NotionPropertySummary {
  const options =
    property.type === 'select'
      ? property.select.options
      : property.type === 'multi_select'
        ? property.multi_select.options
        : property.type === 'status'
          ? property.status.options
          : [];
  return { name, type: property.type, options: options.map((option) => option.name) };
}

export function dataSourceSchema(source: DataSourceObjectResponse): NotionDataSourceSchema {
  return {
    id: source.id,
    title: plain(source.title) || 'Untitled',
    url: source.url,
    properties: Object.entries(source.properties).map(([name, property]) => propertySummary(name, property)),
  };
}

/**
 * The data source behind `id`: a data source id as it is, or a database id (what a database's link
 * holds) resolved to its one data source. A database with several data sources cannot be guessed:
 * the error lists them to pick from.
 */
export async function retrieveDataSource(
  client: NotionClient,
  id: string,
): Promise<DataSourceObjectResponse> {
  try {
    const source = await client.dataSources.retrieve({ data_source_id: id });
    if (isFullDataSource(source)) return source;
  } catch (error) {
    if (!(error instanceof APIResponseError && error.code === 'object_not_found')) throw error;
    const database = await client.databases.retrieve({ database_id: id }).catch(() => {
      throw error; // neither a data source nor a database: Notion's first answer says why
    });
    const sources = 'data_sources' in database ? database.data_sources : [];
    const [only] = sources;
    if (sources.length === 1 && only) return retrieveDataSource(client, only.id);
    throw new StepFailure(
      sources.length === 0
        ? 'This database has no data source the integration can see.'
        : `This database has ${sources.length} data sources (${sources.map((s) => `${s.name} ${s.id}`).join(', ')}): pick one of them.`,
      'MULTIPLE_DATA_SOURCES',
    );
  }
  throw new StepFailure(
    'Notion returned this data source without its properties: share it with the integration.',
    'restricted_resource',
  );
}

/** The databases (data sources) the integration may use, as Notion's search finds them. */
export async function searchDataSources(
  client: NotionClient,
  query: string | undefined,
  cursor: string | undefined,
): Promise<{ items: NotionDataSourceSummary[]; nextCursor: string | null }> {
  const answer = await client.search({
    ...(query ? { query } : {}),
    filter: { property: 'object', value: 'data_source' },
    ...(cursor ? { start_cursor: cursor } : {}),
    page_size: 50,
  });
  const items = answer.results.flatMap((result) =>
    result.object === 'data_source' && isFullDataSource(result)
      ? [{ id: result.id, title: plain(result.title) || 'Untitled', url: result.url }]
      : [],
  );
  return { items, nextCursor: answer.has_more ? answer.next_cursor : null };
}
