import { Button, Center, Heading, Stack, Text } from '@chakra-ui/react';
import { Link as RouterLink } from 'react-router';

export function NotFoundPage() {
  return (
    <Center as="main" minH="100dvh" px="4">
      <title>Page not found · AutomateOS</title>
      <Stack align="center" gap="4" textAlign="center">
        <Text fontSize="sm" fontWeight="semibold" color="fg.muted">
          404
        </Text>
        <Heading as="h1" size="2xl">
          Page not found
        </Heading>
        <Text color="fg.muted">
          There is nothing at this address. It may have moved, or the link is mistyped.
        </Text>
        <Button asChild variant="outline">
          <RouterLink to="/">Go to your workflows</RouterLink>
        </Button>
      </Stack>
    </Center>
  );
}
