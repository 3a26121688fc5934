import { type ExecutionStatus, isStepType, stepTypes } from '@automateos/shared';
import {
  Alert,
  Badge,
  Box,
  Card,
  Code,
  Collapsible,
  HStack,
  Spinner,
  Stack,
  Text,
  Timeline,
} from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { ChevronRightIcon } from '../../components/icons';
import { stepViewOf } from '../steps/registry';
import { ExecutionStatusBadge } from './execution-status-badge';
import { formatDuration } from './format';
import { JsonView, toJsonText } from './json-view';
import { type TimelineStep, timelineSteps } from './timeline-steps';
import type { ExecutionDetail, ExecutionStep } from './types';

/** Sections longer than this start collapsed, so one large response does not bury the other steps. */
const OPEN_BY_DEFAULT_CHARS = 3_000;

const indicatorPalettes: Record<TimelineStep['state'] | ExecutionStatus, string> = {
  ran: 'gray',
  succeeded: 'green',
  filtered: 'orange',
  failed: 'red',
  running: 'blue',
  queued: 'gray',
  waiting: 'gray',
  'not-run': 'gray',
};

export function StepTimeline({ execution }: { execution: ExecutionDetail }) {
  const steps = timelineSteps(execution.definition.steps, execution.steps, execution.status);
  if (steps.length === 0) {
    return <Text color="fg.muted">This workflow has no steps: the execution only recorded its trigger.</Text>;
  }
  return (
    <Timeline.Root size="lg" variant="subtle">
      {steps.map((step, index) => {
        const palette = indicatorPalettes[step.state === 'ran' ? step.log.status : step.state];
        return (
          <Timeline.Item key={step.stepId} data-step-id={step.stepId} data-step-state={step.state}>
            <Timeline.Connector>
              <Timeline.Separator />
              <Timeline.Indicator colorPalette={palette} fontSize="xs" fontWeight="semibold">
                {index + 1}
              </Timeline.Indicator>
            </Timeline.Connector>
            <Timeline.Content pb="6" minW="0">
              {step.state === 'ran' ? <StepCard log={step.log} /> : <PendingStepCard step={step} />}
            </Timeline.Content>
          </Timeline.Item>
        );
      })}
    </Timeline.Root>
  );
}

function StepHeading({
  name,
  stepId,
  type,
  children,
}: {
  name: string;
  stepId: string;
  type: string;
  children?: ReactNode;
}) {
  return (
    <HStack gap="2" wrap="wrap" justify="space-between">
      <HStack gap="2" wrap="wrap" minW="0">
        <Text as="h3" fontWeight="semibold">
          {name}
        </Text>
        <Code size="sm" variant="surface">
          {stepId}
        </Code>
        <Badge variant="outline" size="sm">
          {isStepType(type) ? stepTypes[type].title : type}
        </Badge>
      </HStack>
      <HStack gap="3">{children}</HStack>
    </HStack>
  );
}

function PendingStepCard({ step }: { step: Exclude<TimelineStep, { state: 'ran' }> }) {
  return (
    <Card.Root size="sm" variant="outline" opacity={step.state === 'not-run' ? 0.6 : 1} borderStyle="dashed">
      <Card.Body>
        <StepHeading name={step.name} stepId={step.stepId} type={step.type}>
          {step.state === 'running' ? (
            <HStack gap="1.5" color="fg.muted" fontSize="sm">
              <Spinner size="xs" />
              <Text>Running…</Text>
            </HStack>
          ) : (
            <Badge variant="outline" colorPalette="gray" size="md">
              {step.state === 'waiting' ? 'waiting' : 'not run'}
            </Badge>
          )}
        </StepHeading>
      </Card.Body>
    </Card.Root>
  );
}

/** A step that ran: its type's log view (if it has one), then what is the same for every type. */
function StepCard({ log }: { log: ExecutionStep }) {
  const view = stepViewOf(log.type);
  return (
    <Card.Root size="sm" variant="outline">
      <Card.Body gap="3">
        <StepHeading name={log.name} stepId={log.stepId} type={log.type}>
          {log.attempt > 1 && (
            <Text fontSize="sm" color="fg.muted">
              {log.attempt} attempts
            </Text>
          )}
          <Text fontSize="sm" color="fg.muted" fontVariantNumeric="tabular-nums">
            {formatDuration(log.durationMs)}
          </Text>
          <ExecutionStatusBadge status={log.status} />
        </StepHeading>

        {view?.LogView && <view.LogView log={log} />}

        {log.missing.length > 0 && (
          <Alert.Root status="warning" size="sm">
            <Alert.Indicator />
            <Alert.Content>
              <Alert.Title>Rendered empty: {log.missing.join(', ')}</Alert.Title>
              <Alert.Description>
                These expression paths found no value when the step ran, so they were replaced with nothing.
              </Alert.Description>
            </Alert.Content>
          </Alert.Root>
        )}

        {log.error && (
          <Alert.Root status="error" size="sm">
            <Alert.Indicator />
            <Alert.Content>
              <Alert.Title>{log.error.message}</Alert.Title>
              {log.error.code && <Alert.Description>Code: {log.error.code}</Alert.Description>}
            </Alert.Content>
          </Alert.Root>
        )}

        <Stack gap="1">
          {/* What a step sent matters most when it failed. */}
          <JsonSection
            title="Input"
            value={log.input}
            defaultOpen={log.status === 'failed' ? undefined : false}
          />
          <JsonSection
            title="Output"
            value={log.output}
            defaultOpen={view?.logViewShowsOutput ? false : undefined}
          />
          {/* The alert above already says what went wrong; the raw record is one click away. */}
          {log.error && <JsonSection title="Error" value={log.error} defaultOpen={false} />}
        </Stack>
      </Card.Body>
    </Card.Root>
  );
}

/** A titled, collapsible JSON block; open at first unless the value is large. */
export function JsonSection({
  title,
  value,
  text: given,
  defaultOpen,
  summary,
}: {
  title: string;
  value: unknown;
  /** Shown instead of `value` laid out: JSON exactly as it was written. */
  text?: string | undefined;
  defaultOpen?: boolean;
  summary?: ReactNode;
}) {
  const text = given ?? toJsonText(value);
  const empty = given === undefined && (value === null || value === undefined);
  return (
    <Section
      title={title}
      summary={summary ?? (empty ? 'empty' : linesLabel(text))}
      defaultOpen={defaultOpen ?? (!empty && text.length <= OPEN_BY_DEFAULT_CHARS)}
    >
      <Box pt="1" pb="2">
        <JsonView value={value} text={given} label={title.toLowerCase()} />
      </Box>
    </Section>
  );
}

/** A titled block that opens and closes, with a short summary beside the title. */
export function Section({
  title,
  summary,
  defaultOpen,
  children,
}: {
  title: string;
  summary: ReactNode;
  defaultOpen: boolean;
  children: ReactNode;
}) {
  return (
    <Collapsible.Root defaultOpen={defaultOpen}>
      <Collapsible.Trigger
        display="flex"
        alignItems="center"
        gap="1.5"
        py="1"
        fontSize="sm"
        fontWeight="medium"
        cursor="pointer"
        rounded="l1"
        _hover={{ color: 'fg' }}
        focusVisibleRing="outside"
      >
        <Collapsible.Indicator transition="rotate 0.15s" _open={{ rotate: '90deg' }} display="flex">
          <ChevronRightIcon boxSize="3.5" />
        </Collapsible.Indicator>
        {title}
        <Text as="span" fontWeight="normal" color="fg.muted" fontSize="xs">
          {summary}
        </Text>
      </Collapsible.Trigger>
      <Collapsible.Content>{children}</Collapsible.Content>
    </Collapsible.Root>
  );
}

function linesLabel(text: string) {
  const lines = text.split('\n').length;
  return lines === 1 ? '1 line' : `${lines.toLocaleString()} lines`;
}
