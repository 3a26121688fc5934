import { isTriggerType, triggerSpecs, triggerTypes } from '@automateos/shared';
import { Alert, Box, Card, HStack, Stack, Text } from '@chakra-ui/react';
import { memo } from 'react';
import { triggerViewOf } from '../../triggers/registry';
import { asRecord } from '../values';
import type { Workflow } from '../workflow-api';
import { useEditor, useFieldError } from './editor-context';
import { fieldKey } from './field-path';
import { Select } from './fields';

interface TriggerCardProps {
  /** The saved workflow; null for a new one. */
  workflow: Workflow | null;
  trigger: Record<string, unknown>;
  /** The draft's definition, for what the steps read from the trigger. */
  definition: unknown;
  active: boolean;
  /** The version the editor's draft is based on; a new URL moves it on. */
  version: number;
}

/** The trigger; its type's own form does the rest. (Switching the workflow on is in the page header.) */
export const TriggerCard = memo(function TriggerCard({
  workflow,
  trigger,
  definition,
  active,
  version,
}: TriggerCardProps) {
  const { dispatch, readOnly } = useEditor();
  const triggerError = useFieldError(['definition', 'trigger']);
  const view = triggerViewOf(trigger.type);
  const title = isTriggerType(trigger.type) ? triggerTypes[trigger.type].title : undefined;
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
        <HStack gap="3" wrap="wrap">
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
              definition={definition}
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
