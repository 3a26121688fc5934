import { Box, Container, Flex, HStack, Link, Text } from '@chakra-ui/react';
import { NavLink, Outlet, Link as RouterLink } from 'react-router';
import { ColorModeButton } from '../components/ui/color-mode';
import { useCurrentUser } from '../features/auth/session';
import { SignOutButton } from '../features/auth/sign-out-button';
import { CREDENTIALS_PATH } from '../features/credentials/credentials-api';

export function AppShell() {
  const user = useCurrentUser();
  return (
    <Flex direction="column" minH="100dvh">
      <Box as="header" borderBottomWidth="1px" bg="bg.panel">
        <Container maxW="6xl">
          <HStack h="14" justify="space-between" gap="4">
            <HStack gap="6">
              <Link
                asChild
                fontWeight="bold"
                fontSize="lg"
                letterSpacing="tight"
                _hover={{ textDecoration: 'none' }}
              >
                <RouterLink to="/">AutomateOS</RouterLink>
              </Link>
              <HStack as="nav" gap="4" aria-label="Main">
                <NavItem to="/">Workflows</NavItem>
                <NavItem to={CREDENTIALS_PATH}>Credentials</NavItem>
              </HStack>
            </HStack>
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

/** A section of the app; the one the page belongs to is marked current. */
function NavItem({ to, children }: { to: string; children: string }) {
  return (
    <Link asChild fontSize="sm" color="fg.muted" _currentPage={{ color: 'fg', fontWeight: 'medium' }}>
      <NavLink to={to} end={to === '/'}>
        {children}
      </NavLink>
    </Link>
  );
}
