import { notionOutputSchema } from '@automateos/shared';
import { HStack, Link, Text } from '@chakra-ui/react';
import type { StepLogViewProps } from '../registry';

/** The page the step created, as a link to it in Notion. */
export function NotionLogView({ log }: StepLogViewProps) {
  const page = notionOutputSchema.safeParse(log.output);
  if (!page.success) return null;
  return (
    <HStack gap="2" fontSize="sm" minW="0">
      <Text>Created a page</Text>
      <Link href={page.data.url} target="_blank" rel="noreferrer" colorPalette="blue" truncate>
        Open the page in Notion
      </Link>
    </HStack>
  );
}
