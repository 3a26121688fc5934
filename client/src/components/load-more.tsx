import { Button, type ButtonProps } from '@chakra-ui/react';

/** What a paged list (TanStack's useInfiniteQuery) tells the button. */
interface Pages {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage: () => Promise<unknown>;
}

/** The button under a paged list that brings its next page; nothing once the last page is shown. */
export function LoadMore({
  pages,
  children = 'Load more',
  size,
}: {
  pages: Pages;
  children?: string;
  size?: ButtonProps['size'];
}) {
  if (!pages.hasNextPage) return null;
  return (
    <Button
      variant="outline"
      size={size}
      alignSelf="center"
      onClick={() => pages.fetchNextPage()}
      loading={pages.isFetchingNextPage}
    >
      {children}
    </Button>
  );
}
