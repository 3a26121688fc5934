/**
 * How API input travels: plain JSON in superjson's `{ "json": … }` frame, so the wire looks as it
 * always did, but a `meta` (superjson's type annotations and referential equalities) is refused.
 * Those let a caller make the input contain itself or fan out into billions of nodes for one small
 * request; no procedure takes a Date, a Map or a shared reference, so input needs none of it.
 * Outputs keep superjson (dates, undefined).
 */
import { jsonValueProblem, MAX_JSON_DEPTH } from './workflow/json-value';

/** Room above a payload's own depth limit for the input object around it. */
const INPUT_DEPTH = MAX_JSON_DEPTH + 8;

const isEmptyObject = (value: unknown) =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0;

export class ApiInputError extends Error {
  override readonly name = 'ApiInputError';
}

export const apiInputTransformer = {
  serialize: (input: unknown) => ({ json: input }),
  /** Throws ApiInputError (a BAD_REQUEST with its message) for anything but a bounded plain-JSON frame. */
  deserialize(frame: unknown): unknown {
    // `{"json": undefined}` once JSON has dropped the key: what a batch sends for a procedure that
    // takes no input (auth.me, credentials.list) beside others that do.
    if (isEmptyObject(frame)) return undefined;
    if (
      typeof frame !== 'object' ||
      frame === null ||
      Array.isArray(frame) ||
      !Object.hasOwn(frame, 'json')
    ) {
      throw new ApiInputError('API input must be sent as {"json": <input>}.');
    }
    const { json, meta, ...rest } = frame as { json: unknown; meta?: unknown };
    if (meta !== undefined) {
      throw new ApiInputError(
        'API input is plain JSON: superjson "meta" is not accepted. Send {"json": <input>}.',
      );
    }
    if (Object.keys(rest).length > 0) {
      throw new ApiInputError(`Unknown field "${Object.keys(rest)[0]}" next to "json" in the API input.`);
    }
    const problem = jsonValueProblem(json, { maxDepth: INPUT_DEPTH });
    if (problem) {
      throw new ApiInputError(`API input refused: ${problem.charAt(0).toLowerCase()}${problem.slice(1)}.`);
    }
    return json;
  },
};
