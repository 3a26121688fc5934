import { Alert, Button } from '@chakra-ui/react';

/** A list that could not be loaded: what, why, and a way to try again. */
export function LoadFailed({
  title,
  error,
  retrying,
  onRetry,
}: {
  title: string;
  error: { message: string };
  retrying: boolean;
  onRetry: () => void;
}) {
  return (
    <Alert.Root status="error">
      <Alert.Indicator />
      <Alert.Content>
        <Alert.Title>{title}</Alert.Title>
        <Alert.Description>{error.message}</Alert.Description>
      </Alert.Content>
      <Button size="sm" variant="outline" onClick={onRetry} loading={retrying}>
        Try again
      </Button>
    </Alert.Root>
  );
}
