import { Box, Container, Flex, HStack, Link, Text } from '@chakra-ui/react';
import { Outlet, Link as RouterLink } from 'react-router';
import { ColorModeButton } from '../components/ui/color-mode';
import { useCurrentUser } from '../features/auth/session';
import { SignOutButton } from '../features/auth/sign-out-button';

export function AppShell() {
  const user = useCurrentUser();
  return (
    <Flex direction="column" minH="100dvh">
      <Box as="header" borderBottomWidth="1px" bg="bg.panel">
        <Container maxW="6xl">
          <HStack h="14" justify="space-between" gap="4">
            <Link
              asChild
              fontWeight="bold"
              fontSize="lg"
              letterSpacing="tight"
              _hover={{ textDecoration: 'none' }}
            >
              <RouterLink to="/">AutomateOS</RouterLink>
            </Link>
            <HStack gap="2">
              {/* The name given at sign-up; the email for an account that gave none. */}
              <Text
                fontSize="sm"
                color="fg.muted"
                truncate
                maxW={{ base: '40', md: 'xs' }}
                title={user.email}
                data-testid="signed-in-as"
              >
                {user.name?.trim() || user.email}
              </Text>
              <ColorModeButton />
              <SignOutButton />
            </HStack>
          </HStack>
        </Container>
      </Box>
      <Container as="main" maxW="6xl" py="8" flex="1">
        <Outlet />
      </Container>
    </Flex>
  );
}
