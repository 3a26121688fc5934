import { createIcon, EmptyState, Heading, Stack, VStack } from '@chakra-ui/react';

const WorkflowIcon = createIcon({
  displayName: 'WorkflowIcon',
  path: (
    <g fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
      <rect x="3" y="3" width="8" height="8" rx="2" />
      <rect x="13" y="13" width="8" height="8" rx="2" />
      <path d="M7 11v4a2 2 0 0 0 2 2h4" />
    </g>
  ),
});

export function DashboardPage() {
  return (
    <Stack gap="6">
      <title>Workflows · AutomateOS</title>
      <Heading as="h1" size="2xl">
        Workflows
      </Heading>
      <EmptyState.Root borderWidth="1px" borderStyle="dashed" rounded="l3">
        <EmptyState.Content>
          <EmptyState.Indicator>
            <WorkflowIcon />
          </EmptyState.Indicator>
          <VStack textAlign="center">
            <EmptyState.Title as="h2">No workflows yet</EmptyState.Title>
            <EmptyState.Description>
              A workflow runs a chain of steps every time its webhook receives a request. The workflows you
              create will be listed here.
            </EmptyState.Description>
          </VStack>
        </EmptyState.Content>
      </EmptyState.Root>
    </Stack>
  );
}
