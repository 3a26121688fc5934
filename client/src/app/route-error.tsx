import { Button, Center, Heading, Stack, Text } from '@chakra-ui/react';
import { useRouteError } from 'react-router';

/** Last resort for a render error: a way forward instead of a blank page. */
export function RouteError() {
  const error = useRouteError();
  console.error(error);
  return (
    <Center as="main" minH="100dvh" px="4">
      <Stack align="center" gap="4" textAlign="center">
        <Heading as="h1" size="2xl">
          Something went wrong
        </Heading>
        <Text color="fg.muted">This page hit an unexpected error. Reloading usually helps.</Text>
        <Button variant="outline" onClick={() => window.location.reload()}>
          Reload
        </Button>
      </Stack>
    </Center>
  );
}
