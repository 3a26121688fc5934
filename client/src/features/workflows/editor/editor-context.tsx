import { createContext, type Dispatch, use, useEffect, useId } from 'react';
import type { EditorAction } from './editor-state';
import { fieldKey, type IssuePath } from './field-path';

/** A problem only an input knows about (JSON it cannot parse, a header name used twice): saving waits for it. */
export interface LocalProblem {
  where: string;
  message: string;
  /** Key of the field that shows it. */
  field: string;
}

export interface EditorContextValue {
  dispatch: Dispatch<EditorAction>;
  /** Validation messages by field key (see issues.ts). */
  issues: ReadonlyMap<string, readonly string[]>;
  /** The form cannot be edited while the JSON tab holds text that is not JSON. */
  readOnly: boolean;
  setLocalProblem: (id: string, problem: LocalProblem | null) => void;
}

export const EditorContext = createContext<EditorContextValue | null>(null);

export function useEditor(): EditorContextValue {
  const editor = use(EditorContext);
  if (!editor) throw new Error('useEditor() is only available inside the workflow editor');
  return editor;
}

/** The validation message(s) of the field at `path`, joined. */
export function useFieldError(path: IssuePath): string | undefined {
  const messages = useEditor().issues.get(fieldKey(path));
  return messages && messages.length > 0 ? messages.join(' ') : undefined;
}

/** Registers a problem of this input while `message` is set, so Save waits and the summary lists it. */
export function useLocalProblem(path: IssuePath, where: string, message: string | undefined) {
  const id = useId();
  const { setLocalProblem } = useEditor();
  const field = fieldKey(path);
  useEffect(() => {
    setLocalProblem(id, message ? { where, message, field } : null);
  }, [id, where, message, field, setLocalProblem]);
  useEffect(() => () => setLocalProblem(id, null), [id, setLocalProblem]);
}

export interface EarlierStep {
  id: string;
  type: unknown;
}

/** What an expression in a step may use: the workflow's trigger type, and the steps above it. */
export interface ExpressionScope {
  triggerType: unknown;
  steps: readonly EarlierStep[];
}

export const ExpressionScopeContext = createContext<ExpressionScope>({ triggerType: undefined, steps: [] });
