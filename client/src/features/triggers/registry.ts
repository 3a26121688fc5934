/**
 * How the client renders each trigger type: its card in the editor, its line on the dashboard, the
 * data it delivered on an execution's page, and how to start a first execution. Keyed like
 * `triggerTypes` in shared/, so a type added there without an entry here fails the type check; the
 * fields it gives expressions come from the shared spec itself.
 */
import { type ExecutionMode, isTriggerType, type TriggerType } from '@automateos/shared';
import type { ComponentType } from 'react';
import { ClockIcon, WebhookIcon } from '../../components/icons';
import type { IssuePath } from '../workflows/editor/field-path';
import type { Workflow } from '../workflows/workflow-api';
import { ScheduleInstructions } from './schedule/schedule-instructions';
import { ScheduleTriggerData } from './schedule/schedule-trigger-data';
import { ScheduleTriggerForm, scheduleIssueField, scheduleSummary } from './schedule/schedule-trigger-form';
import { WebhookInstructions } from './webhook/webhook-instructions';
import { WebhookTriggerData } from './webhook/webhook-trigger-data';
import { isWebhookMethod, WebhookTriggerForm, webhookIssueField } from './webhook/webhook-trigger-form';

export interface TriggerFormProps {
  /** The saved workflow; null for a new one not saved yet. */
  workflow: Workflow | null;
  /** The draft's definition: what the steps read from the trigger. */
  definition: unknown;
  /** The trigger's config as the draft holds it (anything the JSON tab let through). */
  config: Record<string, unknown>;
  active: boolean;
  /** The version the editor's draft is based on, for changes that bump it (a new webhook URL). */
  version: number;
}

export interface TriggerDataViewProps {
  /** What the execution stored as its trigger data; read through the spec's data schema. */
  data: unknown;
  /** How the execution was started: by the trigger itself (its type), or `manual` / `rerun`. */
  mode: ExecutionMode;
  /** The request body exactly as it arrived, for a trigger that receives one. */
  receivedBody: { text: string; bytes: number } | null;
}

export interface TriggerView {
  icon: typeof WebhookIcon;
  palette: string;
  /** The trigger card's heading in the editor: "When a webhook is called". */
  heading: string;
  Form: ComponentType<TriggerFormProps>;
  /** The input of the form that shows a problem at `path` inside the config; none: the trigger card. */
  issueField(path: IssuePath): IssuePath | undefined;
  /** The dashboard's words for a config, after the trigger's title: "POST" in "Webhook · POST". */
  summary(config: Record<string, unknown>): string;
  DataView: ComponentType<TriggerDataViewProps>;
  /** How to start a first execution, shown on a workflow's empty execution history. */
  Instructions?: ComponentType<{ workflow: Workflow }>;
  /**
   * What "Test run" gives the steps: a JSON payload typed in a dialog (webhooks), or nothing: the
   * button is "Run now" and starts at once (schedules).
   */
  testRun: 'payload' | 'now';
}

export const triggerViews = {
  webhook: {
    icon: WebhookIcon,
    palette: 'purple',
    heading: 'When a webhook is called',
    Form: WebhookTriggerForm,
    issueField: webhookIssueField,
    summary: (config) => (isWebhookMethod(config.method) ? config.method : 'POST'),
    DataView: WebhookTriggerData,
    Instructions: WebhookInstructions,
    testRun: 'payload',
  },
  schedule: {
    icon: ClockIcon,
    palette: 'teal',
    heading: 'On a schedule',
    Form: ScheduleTriggerForm,
    issueField: scheduleIssueField,
    summary: scheduleSummary,
    DataView: ScheduleTriggerData,
    Instructions: ScheduleInstructions,
    testRun: 'now',
  },
} satisfies { [Type in TriggerType]: TriggerView };

/** The view of a trigger type, or undefined for a type this client does not know. */
export function triggerViewOf(type: unknown): TriggerView | undefined {
  return isTriggerType(type) ? triggerViews[type] : undefined;
}
