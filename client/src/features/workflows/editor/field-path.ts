/**
 * A path of the API input (`['definition', 'steps', 1, 'config', 'url']`): the draft checked in the
 * browser and a BAD_REQUEST from the server name fields with these, so both land on the same input.
 */
export type IssuePath = readonly (string | number)[];

/** The key an input is found by (its `data-field`) and its messages are indexed under. */
export function fieldKey(path: IssuePath): string {
  return JSON.stringify(path.map(String));
}
