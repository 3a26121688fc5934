import { registerInput } from '@automateos/shared';
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

export function SignUpPage() {
  const trpc = useTRPC();
  const { search } = useLocation();
  const startSession = useStartSession();
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors },
  } = useForm({
    resolver: zodResolver(registerInput),
    mode: 'onTouched',
    defaultValues: { name: '', email: '', password: '' },
  });
  const signUp = useMutation(
    trpc.auth.register.mutationOptions({ onSuccess: ({ user }) => startSession(user) }),
  );

  const onSubmit = handleSubmit(({ name, ...values }) =>
    signUp.mutate(
      // An empty name means "no name", not a name of "".
      { ...values, name: name || undefined },
      { onError: (error) => showServerError(error, setError, ['name', 'email', 'password']) },
    ),
  );

  return (
    <AuthLayout
      title="Create your account"
      description="Build workflows that run whenever a webhook fires."
      footer={
        <>
          Already have an account?{' '}
          <Link asChild colorPalette="blue" fontWeight="medium">
            <RouterLink to={`/sign-in${search}`}>Sign in</RouterLink>
          </Link>
        </>
      }
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="4">
          <FormField label="Name" optional error={errors.name?.message}>
            <Input autoComplete="name" autoFocus {...register('name')} />
          </FormField>
          <FormField label="Email" error={errors.email?.message}>
            <Input type="email" autoComplete="email" {...register('email')} />
          </FormField>
          <FormField label="Password" helperText="At least 8 characters." error={errors.password?.message}>
            <Input type="password" autoComplete="new-password" {...register('password')} />
          </FormField>
          <FormAlert message={errors.root?.server?.message} />
          <Button
            type="submit"
            colorPalette="blue"
            loading={signUp.isPending}
            loadingText="Creating account…"
          >
            Create account
          </Button>
        </Stack>
      </form>
    </AuthLayout>
  );
}
