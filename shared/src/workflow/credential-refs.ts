/**
 * The credentials a workflow's steps name, found through each step type's declared `auth` (never
 * by searching the config, where a JSON body may hold a `credentialId` of its own). Saving checks
 * them, the Credentials page lists the workflows that use each one, and export and import swap ids
 * for names and back.
 */
import type { CredentialType } from '../credentials/types';
import { isRecord } from './json-value';
import { isStepType, stepTypes } from './steps';
import { isTriggerType, triggerTypes } from './trigger';

export interface CredentialReference {
  /** The step that names it; null for the trigger (a webhook's signing secret). */
  stepIndex: number | null;
  /** Where the id is inside the definition: `['steps', 2, 'config', 'auth', 'credentialId']`. */
  path: (string | number)[];
  credentialId: string;
  /** The credential types this step accepts. */
  types: readonly CredentialType[];
}

function valueAt(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (isRecord(current) && typeof key === 'string') current = current[key];
    else if (Array.isArray(current) && typeof key === 'number') current = current[key];
    else return undefined;
  }
  return current;
}

/** Every credential id the trigger and steps of `definition` name. Reads any value: an import file not yet checked. */
export function credentialReferences(definition: unknown): CredentialReference[] {
  return [...triggerReferences(definition), ...stepReferences(definition)];
}

function triggerReferences(definition: unknown): CredentialReference[] {
  const trigger = isRecord(definition) ? definition.trigger : undefined;
  if (!isRecord(trigger) || !isTriggerType(trigger.type)) return [];
  const auth = triggerTypes[trigger.type].auth;
  if (!auth) return [];
  const credentialId = valueAt(trigger.config, auth.path);
  if (typeof credentialId !== 'string') return [];
  return [{ stepIndex: null, path: ['trigger', 'config', ...auth.path], credentialId, types: auth.types }];
}

function stepReferences(definition: unknown): CredentialReference[] {
  const steps: unknown[] = isRecord(definition) && Array.isArray(definition.steps) ? definition.steps : [];
  return steps.flatMap((step, stepIndex) => {
    if (!isRecord(step) || !isStepType(step.type)) return [];
    const auth = stepTypes[step.type].auth;
    if (!auth) return [];
    const credentialId = valueAt(step.config, auth.path);
    if (typeof credentialId !== 'string') return [];
    return [
      { stepIndex, path: ['steps', stepIndex, 'config', ...auth.path], credentialId, types: auth.types },
    ];
  });
}

/** `value` with `replacement` at `path`, copying only the objects and arrays along the path. */
function withValueAt(value: unknown, path: readonly (string | number)[], replacement: unknown): unknown {
  const [key, ...rest] = path;
  if (key === undefined) return replacement;
  if (Array.isArray(value) && typeof key === 'number') {
    return value.map((item, index) => (index === key ? withValueAt(item, rest, replacement) : item));
  }
  if (isRecord(value) && typeof key === 'string') {
    return { ...value, [key]: withValueAt(value[key], rest, replacement) };
  }
  return value;
}

/** `definition` with each credential reference holding `replace(reference)` instead; the input is left as it is. */
export function withCredentialIds<Definition>(
  definition: Definition,
  replace: (reference: CredentialReference) => string,
): Definition {
  let result: unknown = definition;
  for (const reference of credentialReferences(definition)) {
    result = withValueAt(result, reference.path, replace(reference));
  }
  // Only strings at the references' own paths changed: the shape is the one that came in.
  return result as Definition;
}

/** How an export file names a credential: by name and type, never by id. */
export interface PortableCredential {
  name: string;
  type: CredentialType;
}

/**
 * For an export file: each credential id replaced by the credential's name, and the list of those
 * names with their types. An id `lookup` does not know (a deleted credential) stays as it is; the
 * import then asks what to use for it like for any other.
 */
export function toPortableCredentials<Definition>(
  definition: Definition,
  lookup: (id: string) => PortableCredential | undefined,
): { definition: Definition; credentials: PortableCredential[] } {
  const credentials = new Map<string, PortableCredential>();
  const portable = withCredentialIds(definition, ({ credentialId }) => {
    const credential = lookup(credentialId);
    if (!credential) return credentialId;
    credentials.set(credential.name, { name: credential.name, type: credential.type });
    return credential.name;
  });
  return { definition: portable, credentials: [...credentials.values()] };
}

/** A credential an imported workflow names, which the user maps to one of their own. */
export interface ImportedCredential {
  /** What the file's steps hold: a credential's name (export files) or an id (a bare definition). */
  ref: string;
  /** Name and type when the file describes it. */
  described?: PortableCredential;
  /** The types every step that uses it accepts. */
  types: CredentialType[];
  /** Indexes of those steps. */
  steps: number[];
  /** Whether the trigger uses it too. */
  trigger: boolean;
}

/** The credentials a file's steps name, each once, with what the file says about it. */
export function importedCredentials(
  definition: unknown,
  described: readonly PortableCredential[],
): ImportedCredential[] {
  const byRef = new Map<string, ImportedCredential>();
  for (const { credentialId, types, stepIndex } of credentialReferences(definition)) {
    const known = byRef.get(credentialId);
    if (known) {
      known.types = known.types.filter((type) => types.includes(type));
      if (stepIndex === null) known.trigger = true;
      else known.steps.push(stepIndex);
      continue;
    }
    const description = described.find((credential) => credential.name === credentialId);
    byRef.set(credentialId, {
      ref: credentialId,
      ...(description ? { described: description } : {}),
      types: [...types],
      steps: stepIndex === null ? [] : [stepIndex],
      trigger: stepIndex === null,
    });
  }
  return [...byRef.values()];
}
