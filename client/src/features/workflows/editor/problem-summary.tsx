import { Button, List, Popover, Portal, Text } from '@chakra-ui/react';

export interface Problem {
  where: string;
  message: string;
  /** Key of the field that shows it; absent for problems only the JSON tab can show. */
  field?: string;
}

interface ProblemSummaryProps {
  problems: readonly Problem[];
  onShow: (problem: Problem) => void;
  open: boolean;
  onOpenChange: (open: boolean) => void;
}

/**
 * How many problems keep the workflow from being saved, as a small button in the header (so the
 * form never moves when one comes or goes); it opens the list, each a link to where the problem is.
 */
export function ProblemSummary({ problems, onShow, open, onOpenChange }: ProblemSummaryProps) {
  if (problems.length === 0) return null;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return (
    <Popover.Root
      open={open}
      onOpenChange={(details) => onOpenChange(details.open)}
      positioning={{ placement: 'bottom-end' }}
    >
      <Popover.Trigger asChild>
        <Button size="sm" variant="subtle" colorPalette="orange">
          {count} to fix
        </Button>
      </Popover.Trigger>
      <Portal>
        <Popover.Positioner>
          <Popover.Content maxW="md" aria-label="Problems to fix before saving">
            <Popover.Arrow />
            <Popover.Body>
              <Popover.Title fontWeight="semibold" mb="2">
                {count} to fix before saving
              </Popover.Title>
              <List.Root gap="1" ps="4" fontSize="sm">
                {problems.slice(0, 20).map((problem, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: recomputed on every change, never reordered
                  <List.Item key={index} wordBreak="break-word">
                    <Button
                      variant="plain"
                      size="sm"
                      height="auto"
                      p="0"
                      fontWeight="semibold"
                      textDecoration="underline"
                      textDecorationStyle="dotted"
                      onClick={() => {
                        onOpenChange(false);
                        onShow(problem);
                      }}
                    >
                      {problem.where}
                    </Button>
                    : {problem.message}
                  </List.Item>
                ))}
              </List.Root>
              {problems.length > 20 && (
                <Text fontSize="sm" color="fg.muted" mt="2">
                  …and {problems.length - 20} more.
                </Text>
              )}
            </Popover.Body>
          </Popover.Content>
        </Popover.Positioner>
      </Portal>
    </Popover.Root>
  );
}
