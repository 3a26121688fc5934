import type { ExecutionStatus } from '@automateos/shared';
import { Badge } from '@chakra-ui/react';

/** Chakra color palettes per status; the "subtle" variant keeps them readable in light and dark mode. */
const palettes: Record<ExecutionStatus, string> = {
  queued: 'gray',
  running: 'blue',
  succeeded: 'green',
  filtered: 'orange',
  failed: 'red',
};

/** An execution's (or a step's) status as a colored badge. */
export function ExecutionStatusBadge({ status }: { status: ExecutionStatus }) {
  return (
    <Badge colorPalette={palettes[status]} variant="subtle" data-status={status}>
      {status}
    </Badge>
  );
}
