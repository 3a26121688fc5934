import { isStepType, stepSpecs, stepTypes } from '@automateos/shared';
import {
  Alert,
  Badge,
  Box,
  Card,
  Code,
  Grid,
  HStack,
  IconButton,
  Input,
  Stack,
  Text,
} from '@chakra-ui/react';
import { memo } from 'react';
import { ArrowDownIcon, ArrowUpIcon, TrashIcon } from '../../../components/icons';
import { stepViewOf } from '../../steps/registry';
import { asRecord, asText } from '../values';
import { type ExpressionScope, ExpressionScopeContext, useEditor, useFieldError } from './editor-context';
import { fieldKey } from './field-path';
import { EditorField } from './fields';

interface StepCardProps {
  index: number;
  count: number;
  step: Record<string, unknown>;
  /** What this step's expressions may read: the trigger, and the steps above it. */
  scope: ExpressionScope;
}

/** Memoized: a keystroke re-renders the card it happens in, not all fifty. */
export const StepCard = memo(function StepCard({ index, count, step, scope }: StepCardProps) {
  const { dispatch, readOnly } = useEditor();
  const path = ['definition', 'steps', index] as const;
  const cardError = useFieldError(path);
  const type = step.type;
  const spec = isStepType(type) ? stepTypes[type] : undefined;
  const view = stepViewOf(type);
  const Icon = view?.icon;
  const id = asText(step.id);
  const number = index + 1;

  const update = (change: (step: Record<string, unknown>) => Record<string, unknown>) =>
    dispatch({ type: 'updateStep', index, update: change });
  const setConfig = (config: Record<string, unknown>) => update((current) => ({ ...current, config }));

  return (
    <Card.Root
      as="section"
      aria-label={`Step ${number}`}
      size="sm"
      variant="outline"
      data-field={fieldKey(path)}
    >
      <Card.Header pb="3" borderBottomWidth="1px" bg="bg.subtle" roundedTop="l3">
        <HStack justify="space-between" gap="3">
          <HStack gap="3" minW="0">
            <Box
              flexShrink={0}
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
            <Stack gap="0" minW="0">
              <HStack gap="2" minW="0">
                <Text fontSize="xs" color="fg.muted" flexShrink={0}>
                  {number}.
                </Text>
                <Text fontWeight="semibold" truncate>
                  {asText(step.name) || 'Unnamed step'}
                </Text>
              </HStack>
              <HStack gap="2">
                <Badge size="sm" variant="surface">
                  {spec?.title ?? `Unknown type ${JSON.stringify(type)}`}
                </Badge>
                {id && (
                  <Code size="sm" variant="plain" color="fg.muted" truncate maxW="48">
                    {id}
                  </Code>
                )}
              </HStack>
            </Stack>
          </HStack>
          <HStack gap="1" flexShrink={0}>
            <IconButton
              size="sm"
              variant="ghost"
              aria-label="Move step up"
              disabled={readOnly || index === 0}
              onClick={() => dispatch({ type: 'moveStep', index, by: -1 })}
            >
              <ArrowUpIcon />
            </IconButton>
            <IconButton
              size="sm"
              variant="ghost"
              aria-label="Move step down"
              disabled={readOnly || index === count - 1}
              onClick={() => dispatch({ type: 'moveStep', index, by: 1 })}
            >
              <ArrowDownIcon />
            </IconButton>
            <IconButton
              size="sm"
              variant="ghost"
              colorPalette="red"
              aria-label="Remove step"
              disabled={readOnly}
              onClick={() => dispatch({ type: 'removeStep', index })}
            >
              <TrashIcon />
            </IconButton>
          </HStack>
        </HStack>
      </Card.Header>
      <Card.Body pt="4">
        <Stack gap="5">
          {cardError && (
            <Alert.Root status="error" size="sm">
              <Alert.Indicator />
              <Alert.Description>
                {cardError}
                {spec ? '' : ' Edit this step in the JSON tab.'}
              </Alert.Description>
            </Alert.Root>
          )}
          <Grid templateColumns={{ base: '1fr', md: '3fr 2fr' }} gap="3">
            <EditorField path={[...path, 'name']} label="Step name">
              <Input
                size="sm"
                value={asText(step.name)}
                readOnly={readOnly}
                onChange={(event) => update((current) => ({ ...current, name: event.target.value }))}
              />
            </EditorField>
            <EditorField
              path={[...path, 'id']}
              label="Step id"
              helperText={id ? `Later steps read its output as {{ steps.${id}.… }}` : undefined}
            >
              <Input
                size="sm"
                fontFamily="mono"
                value={id}
                readOnly={readOnly}
                spellCheck={false}
                onChange={(event) => update((current) => ({ ...current, id: event.target.value }))}
              />
            </EditorField>
          </Grid>
          {view ? (
            <ExpressionScopeContext value={scope}>
              <view.Form index={index} config={asRecord(step.config)} onChange={setConfig} />
            </ExpressionScopeContext>
          ) : (
            <Text fontSize="sm" color="fg.muted">
              The form knows the step types {stepSpecs.map((known) => known.title).join(', ')}. This step is
              kept as it is; change it in the JSON tab.
            </Text>
          )}
        </Stack>
      </Card.Body>
    </Card.Root>
  );
});
