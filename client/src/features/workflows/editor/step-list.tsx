import { STEP_ID_PATTERN, type StepType, stepTypes } from '@automateos/shared';
import { Box, Button, EmptyState, Menu, Portal, Stack, Text, VStack } from '@chakra-ui/react';
import { memo, useMemo } from 'react';
import { PlusIcon } from '../../../components/icons';
import { asText } from '../values';
import { useEditor, useFieldError } from './editor-context';
import { fieldKey } from './issues';
import { type EarlierStep, StepCard } from './step-card';

interface StepListProps {
  steps: Record<string, unknown>[];
  stepKeys: readonly string[];
}

export const StepList = memo(function StepList({ steps, stepKeys }: StepListProps) {
  const listError = useFieldError(['definition', 'steps']);
  const scopes = useExpressionScopes(steps);
  return (
    <Stack gap="0">
      {steps.length === 0 && (
        <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3" size="sm">
          <EmptyState.Content>
            <VStack textAlign="center">
              <EmptyState.Title>No steps yet</EmptyState.Title>
              <EmptyState.Description>
                Add the first step: call an API with HTTP Request, or stop early with a Filter.
              </EmptyState.Description>
            </VStack>
          </EmptyState.Content>
        </EmptyState.Root>
      )}
      {steps.map((step, index) => (
        <Box key={stepKeys[index] ?? index}>
          <Connector />
          <StepCard index={index} count={steps.length} step={step} earlierSteps={scopes[index] ?? NO_STEPS} />
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

const NO_STEPS: readonly EarlierStep[] = [];

/**
 * For each step, the steps above it that expressions may name. Rebuilt only when an id or a type
 * changes, so the (memoized) step cards are not re-rendered by every keystroke elsewhere.
 */
function useExpressionScopes(steps: Record<string, unknown>[]): (readonly EarlierStep[])[] {
  const outline = steps.map((step) => ({ id: asText(step.id), type: step.type }));
  const outlineKey = JSON.stringify(outline);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `outline` is represented by its key
  return useMemo(
    () =>
      outline.map((_, index) =>
        outline.slice(0, index).filter((earlier) => STEP_ID_PATTERN.test(earlier.id)),
      ),
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
      onSelect={({ value }) => dispatch({ type: 'addStep', stepType: value as StepType })}
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
            {Object.values(stepTypes).map((spec) => (
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
