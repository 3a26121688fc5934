import { Center, Spinner } from '@chakra-ui/react';

/** Shown while a lazily loaded page's code arrives on the first visit (the router's HydrateFallback). */
export function PageLoading() {
  return (
    <Center minH="100dvh">
      <Spinner size="lg" color="fg.muted" aria-label="Loading" />
    </Center>
  );
}
