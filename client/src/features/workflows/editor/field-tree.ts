/**
 * The field picker's tree: what an expression can read, from the shared specs (field names and
 * descriptions) and, where there is one, from real data (the last trigger data, each step's last
 * output). Children are computed only when a node is opened, a bounded number at a time.
 */
import { describedFields, isStepType, isTriggerType, stepTypes, triggerTypes } from '@automateos/shared';
import type { ExpressionScope } from './editor-context';
import type { FieldSamples } from './field-samples';

export interface FieldNode {
  /** What the row shows: `user`, `[0]`, `notify`. */
  label: string;
  /** The expression path it inserts: `trigger.body.user`. */
  path: string;
  /** The sample value at this path, when there is one. */
  sample?: { value: unknown };
  description?: string;
  /** Children without sample data (a step type's described output fields). */
  fields?: FieldNode[];
  /** Set when the sample could not be sent (too large). */
  note?: string;
}

/** Children shown at once; the rest are counted. */
export const MAX_CHILDREN = 50;

/** `path` followed by a key or an index, written so that the expression parser reads it back. */
export function childPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z0-9_$-]+$/.test(key) ? `${path}.${key}` : `${path}["${key.replace(/[\\"]/g, '\\$&')}"]`;
}

/** The children of a node: its sample's keys or items, or its type's described fields. */
export function childrenOf(node: FieldNode): { children: FieldNode[]; more: number } {
  if (!node.sample) return { children: node.fields ?? [], more: 0 };
  const { value } = node.sample;
  if (Array.isArray(value)) {
    const children = value.slice(0, MAX_CHILDREN).map((item, index) => ({
      label: `[${index}]`,
      path: childPath(node.path, index),
      sample: { value: item },
    }));
    return { children, more: Math.max(0, value.length - MAX_CHILDREN) };
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    const children = entries
      .slice(0, MAX_CHILDREN)
      .map(([key, item]) => ({ label: key, path: childPath(node.path, key), sample: { value: item } }));
    return { children, more: Math.max(0, entries.length - MAX_CHILDREN) };
  }
  return { children: [], more: 0 };
}

export function hasChildren(node: FieldNode): boolean {
  if (!node.sample) return (node.fields?.length ?? 0) > 0;
  const { value } = node.sample;
  return typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/** A value in a few characters: `"pro"`, `42`, `{3 keys}`, `[2 items]`. */
export function previewOf(value: unknown): string {
  if (Array.isArray(value)) return `[${value.length} ${value.length === 1 ? 'item' : 'items'}]`;
  if (typeof value === 'object' && value !== null) {
    const count = Object.keys(value).length;
    return `{${count} ${count === 1 ? 'key' : 'keys'}}`;
  }
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return value === undefined ? '' : String(value);
}

/** The trigger's fields (with the last data where there is some), then each step above with its last output. */
export function fieldTree(scope: ExpressionScope, samples: FieldSamples) {
  const triggerSpec = isTriggerType(scope.triggerType) ? triggerTypes[scope.triggerType] : undefined;
  const triggerData = samples.trigger?.fields;
  const trigger: FieldNode[] = Object.entries(triggerSpec?.fields ?? {}).map(([field, description]) => ({
    label: field,
    path: `trigger.${field}`,
    description,
    ...(triggerData && Object.hasOwn(triggerData, field) ? { sample: { value: triggerData[field] } } : {}),
  }));
  const steps = scope.steps.map(({ id, type }): FieldNode => {
    const path = `steps.${id}`;
    const sample = samples.steps.get(id);
    const described = isStepType(type) ? describedFields(stepTypes[type].outputSchema) : [];
    const fields = described.map(({ name, description }) => ({
      label: name,
      path: childPath(path, name),
      description,
    }));
    if (sample && 'output' in sample) return { label: id, path, sample: { value: sample.output } };
    return {
      label: id,
      path,
      description: 'The output of this step',
      fields,
      ...(sample?.tooLarge ? { note: 'Its last output is too large to preview.' } : {}),
    };
  });
  return { triggerTitle: triggerSpec?.title, trigger, steps };
}
