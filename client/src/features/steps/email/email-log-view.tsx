import { emailOutputSchema, isRecord } from '@automateos/shared';
import { Badge, Stack, Text } from '@chakra-ui/react';
import type { StepLogViewProps } from '../registry';

/** Who the email went to and what the server said: the subject, accepted and refused recipients. */
export function EmailLogView({ log }: StepLogViewProps) {
  const input = isRecord(log.input) ? log.input : {};
  const sent = emailOutputSchema.safeParse(log.output);
  const subject = typeof input.subject === 'string' ? input.subject : undefined;
  return (
    <Stack gap="1" fontSize="sm">
      {subject !== undefined && (
        <Text truncate>
          <Text as="span" color="fg.muted">
            Subject:{' '}
          </Text>
          {subject}
        </Text>
      )}
      {sent.success && (
        <>
          <Text>
            <Badge size="sm" colorPalette="green" me="2">
              Accepted {sent.data.accepted.length}
            </Badge>
            {sent.data.accepted.join(', ')}
          </Text>
          {sent.data.rejected.length > 0 && (
            <Text>
              <Badge size="sm" colorPalette="red" me="2">
                Refused {sent.data.rejected.length}
              </Badge>
              {sent.data.rejected.join(', ')}
            </Text>
          )}
          <Text fontFamily="mono" fontSize="xs" color="fg.muted" truncate>
            {sent.data.messageId}
          </Text>
        </>
      )}
    </Stack>
  );
}
