import { httpOutputSchema, isRecord } from '@automateos/shared';
import { Badge, HStack, Text } from '@chakra-ui/react';
import type { StepLogViewProps } from '../registry';

export interface HttpSummary {
  method?: string;
  url?: string;
  status?: number;
}

/** Method, URL and response status of an HTTP step, from its logged input and output. */
export function httpSummary(input: unknown, output: unknown): HttpSummary {
  const summary: HttpSummary = {};
  if (isRecord(input)) {
    if (typeof input.method === 'string') summary.method = input.method;
    if (typeof input.url === 'string') summary.url = input.url;
  }
  const response = httpOutputSchema.safeParse(output);
  if (response.success) summary.status = response.data.status;
  return summary;
}

/** One line: what was called and what it answered. */
export function HttpLogView({ log }: StepLogViewProps) {
  const http = httpSummary(log.input, log.output);
  if (!http.url) return null;
  return (
    <HStack gap="2" fontFamily="mono" fontSize="xs" minW="0">
      {http.method && <Text fontWeight="semibold">{http.method}</Text>}
      <Text truncate title={http.url} minW="0">
        {http.url}
      </Text>
      {http.status !== undefined && (
        <Badge size="sm" colorPalette={http.status < 400 ? 'green' : 'red'} flexShrink="0">
          HTTP {http.status}
        </Badge>
      )}
    </HStack>
  );
}
