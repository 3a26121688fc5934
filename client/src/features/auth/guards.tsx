import { Button, Center, Spinner, Stack, Text } from '@chakra-ui/react';
import { Navigate, Outlet, useLocation, useSearchParams } from 'react-router';
import { CurrentUserContext, nextPath, signInPath, useSession } from './session';

function Loading() {
  return (
    <Center minH="100dvh">
      <Spinner size="lg" color="fg.muted" aria-label="Loading" />
    </Center>
  );
}

/** Layout route for everything behind sign-in. */
export function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <Loading />;
  if (session.isError) {
    return (
      <Center minH="100dvh">
        <Stack align="center" gap="4">
          <Text>Could not reach AutomateOS. Check that the server is running.</Text>
          <Button variant="outline" onClick={() => session.refetch()} loading={session.isFetching}>
            Try again
          </Button>
        </Stack>
      </Center>
    );
  }
  if (!session.data) return <Navigate to={signInPath(location.pathname + location.search)} replace />;
  return (
    <CurrentUserContext value={session.data.user}>
      <Outlet />
    </CurrentUserContext>
  );
}

/** Layout route for the sign-in and sign-up pages: a signed-in visitor goes on to the app. */
export function RedirectIfSignedIn() {
  const session = useSession();
  const [params] = useSearchParams();
  if (session.isPending) return <Loading />;
  if (session.data) return <Navigate to={nextPath(params)} replace />;
  return <Outlet />;
}
