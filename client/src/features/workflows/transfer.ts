/**
 * Export and import of workflows as files: `{ "automateos": 1, name, description, definition,
 * credentials }`, the format exportFileSchema defines. Steps name their credentials by name (ids
 * mean nothing in another account); the import asks which of the user's own each one is. Import
 * also takes a bare definition (what the editor's JSON tab shows), named after the file.
 */
import {
  type CreateWorkflowInput,
  type ExportFileInput,
  exportFileSchema,
  type FieldIssue,
  formatIssues,
  type ImportedCredential,
  importedCredentials,
  type PortableCredential,
  toPortableCredentials,
  workflowDefinitionSchema,
} from '@automateos/shared';
import { inFieldOrder } from './field-order';
import { describeJsonError, parseJson } from './json-text';

/** The tRPC endpoint takes at most 2 MiB; a workflow of 50 steps is far below that. */
export const MAX_IMPORT_BYTES = 2 * 1024 * 1024;

/** The export file's text; `credential(id)` says what a credential id stands for (name and type). */
export function toExportFile(
  workflow: { name: string; description: string; definition: unknown },
  credential: (id: string) => PortableCredential | undefined = () => undefined,
) {
  const portable = toPortableCredentials(workflow.definition, credential);
  const file: ExportFileInput = {
    automateos: 1,
    name: workflow.name,
    description: workflow.description,
    definition: inFieldOrder(portable.definition) as ExportFileInput['definition'],
    ...(portable.credentials.length > 0 && { credentials: portable.credentials }),
  };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** `Notify billing (v2)` → `notify-billing-v2.automateos.json`. */
export function exportFileName(name: string): string {
  return `${slugify(name) || 'workflow'}.automateos.json`;
}

export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60)
    .replace(/-+$/, '');
}

export type ImportResult =
  | {
      ok: true;
      kind: 'export' | 'definition';
      workflow: CreateWorkflowInput;
      /** The credentials its steps name, to map to the user's own before it is created. */
      credentials: ImportedCredential[];
    }
  | { ok: false; problems: FieldIssue[] };

const fail = (message: string, path = ''): ImportResult => ({ ok: false, problems: [{ path, message }] });

export const tooLargeFile = () =>
  fail(`The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB: too large to be a workflow export`);

/** Reads an import file's text; every problem comes back with the path it is at, none is swallowed. */
export function parseImportFile(text: string, fileName: string): ImportResult {
  if (text.length > MAX_IMPORT_BYTES) return tooLargeFile();
  const parsed = parseJson(text);
  if (!parsed.ok) return fail(`The file is not valid JSON. ${describeJsonError(parsed.error)}`);
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('Expected a JSON object: an AutomateOS export file or a workflow definition');
  }

  if ('automateos' in value) {
    const file = exportFileSchema.safeParse(value);
    if (!file.success) return { ok: false, problems: formatIssues(file.error) };
    const { name, description, definition, credentials } = file.data;
    return {
      ok: true,
      kind: 'export',
      workflow: { name, description, definition },
      credentials: importedCredentials(definition, credentials),
    };
  }

  if ('schemaVersion' in value || 'steps' in value || 'trigger' in value) {
    const definition = workflowDefinitionSchema.safeParse(value);
    if (!definition.success) return { ok: false, problems: formatIssues(definition.error) };
    return {
      ok: true,
      kind: 'definition',
      workflow: { name: nameFromFile(fileName), definition: definition.data },
      credentials: importedCredentials(definition.data, []),
    };
  }

  return fail(
    'This is neither an AutomateOS export file (it has "automateos": 1) nor a workflow definition ' +
      '(it has "schemaVersion": 1, "trigger" and "steps")',
  );
}

/** `billing.automateos.json` → `billing`; what is left of a file name when it is only an extension: a default. */
export function nameFromFile(fileName: string): string {
  const name = fileName
    .replace(/\.automateos\.json$|\.json$/i, '')
    .trim()
    .slice(0, 100)
    .trim();
  return name || 'Imported workflow';
}

/**
 * The name an imported copy gets: its own when no workflow has it, otherwise `Name (imported)`,
 * `Name (imported 2)`…, cut to the 100 characters a name may have.
 */
export function distinctName(name: string, taken: readonly string[]): string {
  const names = new Set(taken);
  for (let n = 1; ; n++) {
    const suffix = n === 1 ? '' : n === 2 ? ' (imported)' : ` (imported ${n - 1})`;
    const candidate = `${name.slice(0, 100 - suffix.length).trimEnd()}${suffix}`;
    if (!names.has(candidate)) return candidate;
  }
}
