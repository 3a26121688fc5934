import { loginInput } from '@automateos/shared';
import { Button, Input, Link, Stack } from '@chakra-ui/react';
import { zodResolver } from '@hookform/resolvers/zod';
import { useMutation } from '@tanstack/react-query';
import { useForm } from 'react-hook-form';
import { Link as RouterLink, useLocation } from 'react-router';
import { FormField } from '../../components/form-field';
import { showServerError } from '../../lib/form-errors';
import { useTRPC } from '../../lib/trpc';
import { AuthLayout } from './auth-layout';
import { FormAlert } from './form-alert';
import { useStartSession } from './session';

export function SignInPage() {
  const trpc = useTRPC();
  const { search } = useLocation();
  const startSession = useStartSession();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors },
  } = useForm({
    resolver: zodResolver(loginInput),
    mode: 'onTouched',
    defaultValues: { email: '', password: '' },
  });
  // Success fills the session cache; RedirectIfSignedIn then moves on to `?next=` or the dashboard.
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess: ({ user }) => startSession(user) }));

  const onSubmit = handleSubmit((values) =>
    login.mutate(values, { onError: (error) => showServerError(error, setError, ['email', 'password']) }),
  );

  return (
    <AuthLayout
      title="Sign in"
      description="Welcome back. Sign in to manage your workflows."
      footer={
        <>
          New to AutomateOS?{' '}
          <Link asChild colorPalette="blue" fontWeight="medium">
            <RouterLink to={`/sign-up${search}`}>Create an account</RouterLink>
          </Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="4">
          <FormField label="Email" error={errors.email?.message}>
            <Input type="email" autoComplete="email" autoFocus {...register('email')} />
          </FormField>
          <FormField label="Password" error={errors.password?.message}>
            <Input type="password" autoComplete="current-password" {...register('password')} />
          </FormField>
          <FormAlert message={errors.root?.server?.message} />
          <Button type="submit" colorPalette="blue" loading={login.isPending} loadingText="Signing in…">
            Sign in
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
