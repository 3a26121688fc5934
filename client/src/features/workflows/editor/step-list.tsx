import { isStepType, STEP_ID_PATTERN, stepSpecs } from '@automateos/shared';
import { Box, Button, EmptyState, Menu, Portal, Stack, Text, VStack } from '@chakra-ui/react';
import { memo, useMemo } from 'react';
import { PlusIcon } from '../../../components/icons';
import { asText } from '../values';
import { type ExpressionScope, useEditor, useFieldError } from './editor-context';
import { fieldKey } from './field-path';
import { StepCard } from './step-card';

interface StepListProps {
  steps: Record<string, unknown>[];
  stepKeys: readonly string[];
  /** The trigger's type: what `trigger.…` expressions may read depends on it. */
  triggerType: unknown;
}

export const StepList = memo(function StepList({ steps, stepKeys, triggerType }: StepListProps) {
  const listError = useFieldError(['definition', 'steps']);
  const scopes = useExpressionScopes(steps, triggerType);
  return (
    <Stack gap="0">
      {steps.length === 0 && <Connector />}
      {steps.length === 0 && (
        <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3" size="sm">
          <EmptyState.Content>
            <VStack textAlign="center">
              <EmptyState.Title>No steps yet</EmptyState.Title>
              <EmptyState.Description>
                Add the first step: {stepSpecs.map((spec) => spec.title).join(', ')}.
              </EmptyState.Description>
            </VStack>
          </EmptyState.Content>
        </EmptyState.Root>
      )}
      {steps.map((step, index) => (
        <Box key={stepKeys[index] ?? index}>
          <Connector />
          <StepCard
            index={index}
            count={steps.length}
            step={step}
            scope={scopes[index] ?? { triggerType, steps: [] }}
          />
        </Box>
      ))}
      {listError && (
        <Text fontSize="sm" color="fg.error" mt="3" data-field={fieldKey(['definition', 'steps'])}>
          {listError}
        </Text>
      )}
      <Connector />
      <AddStepMenu />
    </Stack>
  );
});

/**
 * For each step, what its expressions may name: the trigger and the steps above it. Rebuilt only
 * when an id or a type changes, so the (memoized) step cards are not re-rendered by every keystroke
 * elsewhere.
 */
function useExpressionScopes(steps: Record<string, unknown>[], triggerType: unknown): ExpressionScope[] {
  const outline = steps.map((step) => ({ id: asText(step.id), type: step.type }));
  const outlineKey = JSON.stringify([triggerType, outline]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `outline` and `triggerType` are represented by the key
  return useMemo(
    () =>
      outline.map((_, index) => ({
        triggerType,
        steps: outline.slice(0, index).filter((earlier) => STEP_ID_PATTERN.test(earlier.id)),
      })),
    [outlineKey],
  );
}

function Connector() {
  return <Box mx="auto" w="0.5" h="6" bg="border.emphasized" aria-hidden />;
}

function AddStepMenu() {
  const { dispatch, readOnly } = useEditor();
  return (
    <Menu.Root
      onSelect={({ value }) => {
        if (isStepType(value)) dispatch({ type: 'addStep', stepType: value });
      }}
      positioning={{ placement: 'bottom' }}
    >
      <Menu.Trigger asChild>
        <Button variant="outline" alignSelf="center" disabled={readOnly} borderStyle="dashed">
          <PlusIcon />
          Add step
        </Button>
      </Menu.Trigger>
      <Portal>
        <Menu.Positioner>
          <Menu.Content maxW="sm">
            {stepSpecs.map((spec) => (
              <Menu.Item key={spec.type} value={spec.type} py="2" alignItems="start">
                <Stack gap="0.5">
                  <Text fontWeight="medium">{spec.title}</Text>
                  <Text fontSize="xs" color="fg.muted" whiteSpace="normal">
                    {spec.description}
                  </Text>
                </Stack>
              </Menu.Item>
            ))}
          </Menu.Content>
        </Menu.Positioner>
      </Portal>
    </Menu.Root>
  );
}
