import {
  cronProblem,
  describeCron,
  MINUTE_INTERVALS,
  type MissedPolicy,
  missedPolicies,
  type SimpleSchedule,
  simpleScheduleOf,
  simpleScheduleToCron,
  timeZoneProblem,
  WEEKDAY_NAMES,
} from '@automateos/shared';
import {
  Alert,
  Box,
  Button,
  Field,
  Group,
  HStack,
  Input,
  Spinner,
  Stack,
  Table,
  Text,
} from '@chakra-ui/react';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { formatExact } from '../../../lib/relative-time';
import { useTRPC } from '../../../lib/trpc';
import { describeError } from '../../executions/describe-error';
import { useEditor } from '../../workflows/editor/editor-context';
import type { IssuePath } from '../../workflows/editor/field-path';
import { EditorField, NumberInput, Select } from '../../workflows/editor/fields';
import { asRecord, asText } from '../../workflows/values';
import type { TriggerFormProps } from '../registry';
import { formatInZone, formatUtc, knownTimeZones } from './format';

type Mode = SimpleSchedule['mode'] | 'custom';

const MODES: { value: Mode; label: string }[] = [
  { value: 'minutes', label: 'Every few minutes' },
  { value: 'hourly', label: 'Every hour' },
  { value: 'daily', label: 'Every day' },
  { value: 'weekly', label: 'On days of the week' },
  { value: 'custom', label: 'Custom (cron)' },
];

const MISSED_LABELS: Record<MissedPolicy, string> = {
  runOnce: 'Run once to catch up',
  skip: 'Skip them',
};

// Monday first, as most calendars outside the US show a week.
const WEEK = [1, 2, 3, 4, 5, 6, 0];

const path = (...rest: string[]): IssuePath => ['definition', 'trigger', 'config', ...rest];
const twoDigits = (value: number) => String(value).padStart(2, '0');

/** The simple schedule of `mode`, keeping the time of day and days of the one it replaces. */
function switchTo(mode: SimpleSchedule['mode'], from: SimpleSchedule | undefined): SimpleSchedule {
  const hour = from && 'hour' in from ? from.hour : 9;
  const minute = from && 'minute' in from ? from.minute : 0;
  switch (mode) {
    case 'minutes':
      return { mode, every: 15 };
    case 'hourly':
      return { mode, minute };
    case 'daily':
      return { mode, hour, minute };
    case 'weekly':
      return { mode, days: from?.mode === 'weekly' ? from.days : [1, 2, 3, 4, 5], hour, minute };
  }
}

/** The value a settled input has had for `ms`, so the preview is not fetched on every keystroke. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** Simple modes that compile to cron, or cron itself; the zone; missed runs; and the next runs. */
export function ScheduleTriggerForm({ workflow, config, active }: TriggerFormProps) {
  const { dispatch, readOnly } = useEditor();
  const zonesId = useId();
  const cron = asText(config.cron);
  const timezone = asText(config.timezone);
  const missed = asText(config.missed, 'runOnce');
  const simple = simpleScheduleOf(cron);
  // Chosen by the user; a cron that fits a simple mode shows in it unless they asked for the cron field.
  const [customChosen, setCustomChosen] = useState(() => simple === undefined);
  const mode: Mode = customChosen || !simple ? 'custom' : simple.mode;

  const set = (key: string, value: unknown) =>
    dispatch({
      type: 'updateTrigger',
      update: (current) => ({ ...current, config: { ...asRecord(current.config), [key]: value } }),
    });
  const setSimple = (next: SimpleSchedule) => set('cron', simpleScheduleToCron(next));

  return (
    <Stack gap="4">
      {!active && (
        <Text fontSize="sm" color="fg.muted">
          Switched off: nothing runs until you switch the workflow on. "Run now" works either way.
        </Text>
      )}
      <HStack gap="3" align="start" wrap="wrap">
        <Box w={{ base: 'full', md: '56' }}>
          <Field.Root>
            <Field.Label>Runs</Field.Label>
            <Select
              aria-label="Schedule mode"
              value={mode}
              options={MODES}
              disabled={readOnly}
              onChange={(value) => {
                const next = MODES.find((option) => option.value === value)?.value;
                if (!next) return;
                setCustomChosen(next === 'custom');
                if (next !== 'custom') setSimple(switchTo(next, simple));
              }}
            />
            {mode !== 'custom' && (
              <Field.HelperText>
                Cron: <code>{cron}</code>
              </Field.HelperText>
            )}
          </Field.Root>
        </Box>
        {mode === 'custom' && (
          <Box flex="1" minW="56">
            <EditorField
              path={path('cron')}
              label="Cron"
              helperText="5 fields: minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5"
            >
              <Input
                size="sm"
                fontFamily="mono"
                value={cron}
                placeholder="0 9 * * 1-5"
                readOnly={readOnly}
                spellCheck={false}
                onChange={(event) => set('cron', event.target.value)}
              />
            </EditorField>
          </Box>
        )}
        {simple?.mode === 'minutes' && mode === 'minutes' && (
          <Box w="40">
            <Field.Root>
              <Field.Label>Every</Field.Label>
              <Select
                aria-label="Every how many minutes"
                value={String(simple.every)}
                options={MINUTE_INTERVALS.map((every) => ({
                  value: String(every),
                  label: every === 1 ? 'minute' : `${every} minutes`,
                }))}
                disabled={readOnly}
                onChange={(value) => setSimple({ mode: 'minutes', every: Number(value) })}
              />
            </Field.Root>
          </Box>
        )}
        {simple?.mode === 'hourly' && mode === 'hourly' && (
          <Box w="40">
            <Field.Root>
              <Field.Label>At minute</Field.Label>
              <NumberInput
                value={simple.minute}
                placeholder="0"
                onChange={(minute) =>
                  setSimple({ mode: 'hourly', minute: Math.min(59, Math.max(0, Math.trunc(minute ?? 0))) })
                }
              />
            </Field.Root>
          </Box>
        )}
        {(simple?.mode === 'daily' || simple?.mode === 'weekly') && mode === simple.mode && (
          <Box w="36">
            <Field.Root>
              <Field.Label>At</Field.Label>
              <Input
                size="sm"
                type="time"
                aria-label="Time of day"
                value={`${twoDigits(simple.hour)}:${twoDigits(simple.minute)}`}
                readOnly={readOnly}
                onChange={(event) => {
                  const [hour, minute] = event.target.value.split(':').map(Number);
                  if (
                    hour === undefined ||
                    minute === undefined ||
                    Number.isNaN(hour) ||
                    Number.isNaN(minute)
                  )
                    return;
                  setSimple({ ...simple, hour, minute });
                }}
              />
            </Field.Root>
          </Box>
        )}
      </HStack>
      {simple?.mode === 'weekly' && mode === 'weekly' && (
        <Group attached role="group" aria-label="Days of the week" flexWrap="wrap">
          {WEEK.map((day) => {
            const on = simple.days.includes(day);
            return (
              <Button
                key={day}
                size="xs"
                variant={on ? 'solid' : 'outline'}
                aria-pressed={on}
                disabled={readOnly || (on && simple.days.length === 1)}
                onClick={() =>
                  setSimple({
                    ...simple,
                    days: on ? simple.days.filter((d) => d !== day) : [...simple.days, day],
                  })
                }
              >
                {WEEKDAY_NAMES[day]?.slice(0, 3)}
              </Button>
            );
          })}
        </Group>
      )}

      <HStack gap="3" align="start" wrap="wrap">
        <Box flex="1" minW="56">
          <EditorField
            path={path('timezone')}
            label="Time zone"
            helperText="Times above are in this zone, daylight saving included."
          >
            <Input
              size="sm"
              value={timezone}
              list={zonesId}
              placeholder="Europe/Berlin"
              readOnly={readOnly}
              spellCheck={false}
              onChange={(event) => set('timezone', event.target.value)}
            />
            <datalist id={zonesId}>
              {knownTimeZones().map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </EditorField>
        </Box>
        <Box w={{ base: 'full', md: '56' }}>
          <EditorField
            path={path('missed')}
            label="Missed runs"
            helperText="Slots that pass while no scheduler runs."
          >
            <Select
              value={missed}
              options={missedPolicies.map((value) => ({ value, label: MISSED_LABELS[value] }))}
              disabled={readOnly}
              onChange={(value) => set('missed', value)}
            />
          </EditorField>
        </Box>
      </HStack>

      <SchedulePreview cron={cron} timezone={timezone} />
      {active && workflow?.schedule && <ScheduleState schedule={workflow.schedule} timezone={timezone} />}
    </Stack>
  );
}

/** The schedule in words, its next five runs in its zone and in UTC, and any daylight-saving warning. */
function SchedulePreview({ cron, timezone }: { cron: string; timezone: string }) {
  const trpc = useTRPC();
  const settled = useSettled({ cron, timezone }, 250);
  const valid = cronProblem(settled.cron) === undefined && timeZoneProblem(settled.timezone) === undefined;
  const preview = useQuery({
    ...trpc.workflows.previewSchedule.queryOptions(valid ? { ...settled, count: 5 } : skipToken),
    staleTime: 30_000,
    placeholderData: (previous) => previous,
  });
  if (!valid) return null;
  if (preview.isError) {
    return (
      <Text fontSize="sm" color="fg.error">
        Could not preview this schedule: {describeError(preview.error)}
      </Text>
    );
  }
  if (!preview.data) return <Spinner size="sm" color="fg.muted" aria-label="Loading the next runs" />;
  return (
    <Stack gap="3" aria-label="Next runs" role="region">
      <Text fontSize="sm">
        Runs <strong>{preview.data.description}</strong> ({settled.timezone}).
      </Text>
      <Table.Root size="sm" variant="outline" maxW="xl">
        <Table.Header>
          <Table.Row>
            <Table.ColumnHeader>Next runs ({settled.timezone})</Table.ColumnHeader>
            <Table.ColumnHeader>UTC</Table.ColumnHeader>
          </Table.Row>
        </Table.Header>
        <Table.Body>
          {preview.data.runs.map((run) => (
            <Table.Row key={run}>
              <Table.Cell fontVariantNumeric="tabular-nums">{formatInZone(run, settled.timezone)}</Table.Cell>
              <Table.Cell fontVariantNumeric="tabular-nums" color="fg.muted">
                {formatUtc(run, settled.timezone)}
              </Table.Cell>
            </Table.Row>
          ))}
        </Table.Body>
      </Table.Root>
      {preview.data.warnings.map((warning) => (
        <Alert.Root key={warning} status="warning" size="sm">
          <Alert.Indicator />
          <Alert.Description>Daylight saving: {warning}</Alert.Description>
        </Alert.Root>
      ))}
    </Stack>
  );
}

type Schedule = NonNullable<NonNullable<TriggerFormProps['workflow']>['schedule']>;

/** What the scheduler holds for the saved, active schedule: its next run, and runs it missed. */
function ScheduleState({ schedule, timezone }: { schedule: Schedule; timezone: string }) {
  const { lastMissed } = schedule;
  return (
    <Stack gap="2" fontSize="sm">
      <Text>
        Next run (as saved): <strong>{formatInZone(schedule.nextRunAt, timezone)}</strong>
        {schedule.lastScheduledFor && (
          <Text as="span" color="fg.muted">
            {' '}
            · last slot {formatExact(schedule.lastScheduledFor)}
          </Text>
        )}
      </Text>
      {lastMissed && (
        <Alert.Root status="info" size="sm">
          <Alert.Indicator />
          <Alert.Description>
            {lastMissed.more ? `More than ${lastMissed.count}` : lastMissed.count} run
            {lastMissed.count === 1 && !lastMissed.more ? ' was' : 's were'} missed while no scheduler was
            running ({formatInZone(lastMissed.first, timezone)} to {formatInZone(lastMissed.last, timezone)}):{' '}
            {lastMissed.policy === 'runOnce' ? 'one catch-up run was started.' : 'skipped, as set.'}
          </Alert.Description>
        </Alert.Root>
      )}
    </Stack>
  );
}

/** The input of this form that shows a problem at `path` inside the trigger's config, if it has one. */
export function scheduleIssueField(issue: IssuePath): IssuePath | undefined {
  const [field] = issue;
  return field === 'cron' || field === 'timezone' || field === 'missed' ? [field] : undefined;
}

/** The dashboard's words: "every weekday at 09:00 (Europe/Berlin)". */
export function scheduleSummary(config: Record<string, unknown>): string {
  const cron = asText(config.cron);
  return `${cronProblem(cron) ? cron : describeCron(cron)} (${asText(config.timezone, '?')})`;
}
