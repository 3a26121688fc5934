/**
 * How the client renders each step type: its icon, its form in the editor, and what its execution
 * log shows. Keyed like `stepTypes` in shared/, so a type added there without an entry here fails
 * the type check. The editor, the issue list and the execution timeline read this; the field order
 * and the expressions each step offers come from the shared spec itself.
 */
import { isStepType, type StepType } from '@automateos/shared';
import type { ComponentType } from 'react';
import { FilterIcon, GlobeIcon, MailIcon, NotionIcon, SlackIcon } from '../../components/icons';
import type { ExecutionStep } from '../executions/types';
import type { IssuePath } from '../workflows/editor/field-path';
import type { StepFormProps } from '../workflows/editor/fields';
import { EmailLogView } from './email/email-log-view';
import { EmailStepForm, emailIssueField } from './email/email-step-form';
import { FilterLogView } from './filter/filter-log-view';
import { FilterStepForm, filterIssueField } from './filter/filter-step-form';
import { HttpLogView } from './http/http-log-view';
import { HttpStepForm, httpIssueField } from './http/http-step-form';
import { NotionLogView } from './notion/notion-log-view';
import { NotionStepForm, notionIssueField } from './notion/notion-step-form';
import { SlackLogView } from './slack/slack-log-view';
import { SlackStepForm, slackIssueField } from './slack/slack-step-form';

export interface StepLogViewProps {
  log: ExecutionStep;
}

export interface StepView {
  icon: typeof GlobeIcon;
  /** The Chakra colour palette of the step's icon. */
  palette: string;
  Form: ComponentType<StepFormProps>;
  /** The input of the form that shows a problem at `path` inside the config; none: the step card. */
  issueField(path: IssuePath, config: Record<string, unknown>): IssuePath | undefined;
  /** Shown in the execution log above the step's raw input and output. */
  LogView?: ComponentType<StepLogViewProps>;
  /** The log view already shows the output, so the raw Output section starts closed. */
  logViewShowsOutput?: boolean;
}

export const stepViews = {
  http: {
    icon: GlobeIcon,
    palette: 'blue',
    Form: HttpStepForm,
    issueField: httpIssueField,
    LogView: HttpLogView,
  },
  filter: {
    icon: FilterIcon,
    palette: 'orange',
    Form: FilterStepForm,
    issueField: filterIssueField,
    LogView: FilterLogView,
    logViewShowsOutput: true,
  },
  notion: {
    icon: NotionIcon,
    palette: 'gray',
    Form: NotionStepForm,
    issueField: notionIssueField,
    LogView: NotionLogView,
  },
  slack: {
    icon: SlackIcon,
    palette: 'pink',
    Form: SlackStepForm,
    issueField: slackIssueField,
    LogView: SlackLogView,
  },
  email: {
    icon: MailIcon,
    palette: 'purple',
    Form: EmailStepForm,
    issueField: emailIssueField,
    LogView: EmailLogView,
  },
} satisfies { [Type in StepType]: StepView };

/** The view of a step type, or undefined for a type this client does not know (typed in the JSON tab). */
export function stepViewOf(type: unknown): StepView | undefined {
  return isStepType(type) ? stepViews[type] : undefined;
}
