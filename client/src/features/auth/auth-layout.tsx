import { Box, Card, Center, Stack, Text } from '@chakra-ui/react';
import type { ReactNode } from 'react';
import { ColorModeButton } from '../../components/ui/color-mode';

interface AuthLayoutProps {
  title: string;
  description: string;
  children: ReactNode;
  footer: ReactNode;
}

export function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  return (
    <Center as="main" minH="100dvh" px="4" py="12" bg="bg.subtle">
      <title>{`${title} · AutomateOS`}</title>
      <Box position="absolute" top="3" right="3">
        <ColorModeButton />
      </Box>
      <Stack gap="6" width="full" maxW="sm">
        <Text textAlign="center" fontWeight="bold" fontSize="xl" letterSpacing="tight">
          AutomateOS
        </Text>
        <Card.Root>
          <Card.Header>
            <Card.Title as="h1" fontSize="xl">
              {title}
            </Card.Title>
            <Card.Description>{description}</Card.Description>
          </Card.Header>
          <Card.Body>{children}</Card.Body>
        </Card.Root>
        <Text textAlign="center" fontSize="sm" color="fg.muted">
          {footer}
        </Text>
      </Stack>
    </Center>
  );
}
