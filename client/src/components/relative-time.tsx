import { Text, type TextProps } from '@chakra-ui/react';
import { formatExact, formatRelativeTime } from '../lib/relative-time';
import { useNow } from '../lib/use-now';

/** "5 minutes ago", with the exact time on hover and for assistive technology; it moves on by itself. */
export function RelativeTime({ date, ...props }: { date: Date } & TextProps) {
  const now = useNow();
  return (
    <Text asChild {...props}>
      <time dateTime={date.toISOString()} title={formatExact(date)}>
        {formatRelativeTime(date, now)}
      </time>
    </Text>
  );
}
