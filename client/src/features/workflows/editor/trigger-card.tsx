import { isTriggerType, triggerSpecs, triggerTypes } from '@automateos/shared';
import { Alert, Box, Card, HStack, Stack, Switch, Text } from '@chakra-ui/react';
import { memo } from 'react';
import { triggerViewOf } from '../../triggers/registry';
import { asRecord } from '../values';
import { useSetActive, type Workflow } from '../workflow-api';
import { useEditor, useFieldError } from './editor-context';
import { fieldKey } from './field-path';
import { Select } from './fields';

interface TriggerCardProps {
  workflow: Workflow;
  trigger: Record<string, unknown>;
  /** The version the editor's draft is based on; switching and a new URL move it on. */
  version: number;
}

/** The trigger and the workflow's on/off switch; the trigger type's own form does the rest. */
export const TriggerCard = memo(function TriggerCard({ workflow, trigger, version }: TriggerCardProps) {
  const { dispatch, readOnly } = useEditor();
  const setActive = useSetActive();
  const triggerError = useFieldError(['definition', 'trigger']);
  const view = triggerViewOf(trigger.type);
  const title = isTriggerType(trigger.type) ? triggerTypes[trigger.type].title : undefined;
  const active = setActive.isPending ? setActive.variables.active : workflow.active;
  const Icon = view?.icon;

  return (
    <Card.Root
      as="section"
      aria-label="Trigger"
      size="sm"
      variant="outline"
      data-field={fieldKey(['definition', 'trigger'])}
    >
      <Card.Header pb="3" borderBottomWidth="1px" bg="bg.subtle" roundedTop="l3">
        <HStack justify="space-between" gap="3" wrap="wrap">
          <HStack gap="3">
            <Box
              w="8"
              h="8"
              rounded="l2"
              display="grid"
              placeItems="center"
              colorPalette={view?.palette ?? 'gray'}
              bg="colorPalette.subtle"
              color="colorPalette.fg"
            >
              {Icon ? <Icon boxSize="4" /> : <Text fontWeight="bold">?</Text>}
            </Box>
            <Stack gap="0">
              <Text fontWeight="semibold">{view?.heading ?? 'Unknown trigger'}</Text>
              <Text fontSize="xs" color="fg.muted">
                Trigger · {title ?? JSON.stringify(trigger.type)}
              </Text>
            </Stack>
            <Box w="36">
              <Select
                size="xs"
                aria-label="Trigger type"
                value={typeof trigger.type === 'string' ? trigger.type : ''}
                options={triggerSpecs.map((spec) => ({ value: spec.type, label: spec.title }))}
                disabled={readOnly}
                onChange={(type) => {
                  // A new type starts from its own defaults: the fields of one mean nothing to another.
                  if (isTriggerType(type)) {
                    dispatch({
                      type: 'updateTrigger',
                      update: () => ({ type, config: triggerTypes[type].defaults() }),
                    });
                  }
                }}
              />
            </Box>
          </HStack>
          <Switch.Root
            colorPalette="green"
            checked={active}
            disabled={setActive.isPending}
            onCheckedChange={({ checked }) =>
              setActive.mutate(
                { id: workflow.id, active: checked },
                {
                  onSuccess: (updated) =>
                    dispatch({ type: 'versionBumped', from: version, to: updated.version }),
                },
              )
            }
          >
            <Switch.HiddenInput role="switch" />
            <Switch.Control />
            <Switch.Label>Active</Switch.Label>
          </Switch.Root>
        </HStack>
      </Card.Header>
      <Card.Body pt="4">
        <Stack gap="4">
          {triggerError && (
            <Alert.Root status="error" size="sm">
              <Alert.Indicator />
              <Alert.Description>
                {triggerError}
                {view ? '' : ' Edit the trigger in the JSON tab.'}
              </Alert.Description>
            </Alert.Root>
          )}
          {view && (
            <view.Form
              workflow={workflow}
              config={asRecord(trigger.config)}
              active={active}
              version={version}
            />
          )}
        </Stack>
      </Card.Body>
    </Card.Root>
  );
});
