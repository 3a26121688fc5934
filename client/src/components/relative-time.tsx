import { Text, type TextProps } from '@chakra-ui/react';
import { useEffect, useState } from 'react';
import { formatDateTime, formatRelativeTime } from '../lib/relative-time';

/** Re-renders every minute, so "just now" does not stay on screen for an hour. */
function useNow(intervalMs = 60_000) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/** "5 minutes ago", with the exact time on hover and for assistive technology. */
export function RelativeTime({ date, ...props }: { date: Date } & TextProps) {
  const now = useNow();
  return (
    <Text asChild {...props}>
      <time dateTime={date.toISOString()} title={formatDateTime(date)}>
        {formatRelativeTime(date, now)}
      </time>
    </Text>
  );
}
