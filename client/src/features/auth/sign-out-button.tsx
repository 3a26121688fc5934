import { Button } from '@chakra-ui/react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { toaster } from '../../components/ui/toaster';
import { apiErrorCode, useTRPC } from '../../lib/trpc';

export function SignOutButton() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSettled(_data, error) {
        // UNAUTHORIZED means the session had already ended: signed out either way.
        if (error && apiErrorCode(error) !== 'UNAUTHORIZED') {
          toaster.error({ title: 'Could not sign out', description: error.message });
          return;
        }
        // Clear before navigating, so the sign-in page asks the server afresh instead of seeing this user.
        queryClient.clear();
        void navigate('/sign-in', { replace: true });
      },
    }),
  );
  return (
    <Button variant="outline" size="sm" onClick={() => logout.mutate()} loading={logout.isPending}>
      Sign out
    </Button>
  );
}
