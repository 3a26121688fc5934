import { Box, HStack, Spinner, Text } from '@chakra-ui/react';
import type { LiveStatus } from './use-live';

/**
 * Says how the page stays current: "Live" while the stream is connected, or, when it cannot be,
 * that the page refreshes on a timer instead (and why, on hover).
 */
export function LiveIndicator({ status }: { status: LiveStatus }) {
  if (status.state === 'paused') return null;
  const every = status.state === 'polling' ? `${status.everyMs / 1_000} s` : '';
  return (
    <HStack
      gap="1.5"
      fontSize="sm"
      color="fg.muted"
      role="status"
      data-live-state={status.state}
      title={
        status.state === 'live'
          ? 'Changes appear here as they happen.'
          : status.state === 'polling'
            ? `Live updates are unavailable (${status.reason}); this page refreshes every ${every} instead.`
            : undefined
      }
    >
      {status.state === 'connecting' ? (
        <Spinner size="xs" />
      ) : (
        <Box w="2" h="2" rounded="full" bg={status.state === 'live' ? 'green.solid' : 'orange.solid'} />
      )}
      <Text>
        {status.state === 'live'
          ? 'Live'
          : status.state === 'polling'
            ? `Refreshing every ${every}`
            : 'Connecting…'}
      </Text>
    </HStack>
  );
}
