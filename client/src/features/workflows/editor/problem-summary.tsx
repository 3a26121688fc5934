import { Alert, Button, List, Text } from '@chakra-ui/react';

export interface Problem {
  where: string;
  message: string;
  /** Key of the field that shows it; absent for problems only the JSON tab can show. */
  field?: string;
}

interface ProblemSummaryProps {
  problems: readonly Problem[];
  onShow: (problem: Problem) => void;
}

/** Every problem that keeps the workflow from being saved, each a link to where it is. */
export function ProblemSummary({ problems, onShow }: ProblemSummaryProps) {
  if (problems.length === 0) return null;
  return (
    <Alert.Root status="warning" alignItems="start" aria-label="Problems to fix before saving">
      <Alert.Indicator />
      <Alert.Content gap="2">
        <Alert.Title>
          {problems.length === 1 ? '1 problem' : `${problems.length} problems`} to fix before saving
        </Alert.Title>
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
                onClick={() => onShow(problem)}
              >
                {problem.where}
              </Button>
              : {problem.message}
            </List.Item>
          ))}
        </List.Root>
        {problems.length > 20 && (
          <Text fontSize="sm" color="fg.muted">
            …and {problems.length - 20} more.
          </Text>
        )}
      </Alert.Content>
    </Alert.Root>
  );
}
