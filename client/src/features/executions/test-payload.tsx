import { isJsonValue, type JsonValue } from '@automateos/shared';
import { Field, Textarea } from '@chakra-ui/react';
import { skipToken, useQuery } from '@tanstack/react-query';
import { useTRPC } from '../../lib/trpc';

export type ParsedPayload = { ok: true; value: JsonValue } | { ok: false; message: string };

/** The payload box's text as the JSON value to send, or why it is not JSON. */
export function parsePayload(text: string): ParsedPayload {
  if (text.trim() === '') return { ok: false, message: 'Enter a JSON value, e.g. {}' };
  try {
    const value: unknown = JSON.parse(text);
    // JSON.parse only produces JSON values; the guard tells the type system so (and checks limits).
    if (isJsonValue(value)) return { ok: true, value };
    return { ok: false, message: 'Enter a JSON value, e.g. {}' };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `Not valid JSON: ${reason}` };
  }
}

/**
 * The body the workflow received last, as the payload box's starting text: `fallback` when there is
 * none (or no saved workflow yet), undefined while it loads.
 */
export function useLastTriggerBody(workflowId: string | null, enabled: boolean, fallback: string) {
  const trpc = useTRPC();
  const on = enabled && workflowId !== null;
  // Fresh on every opening: the newest execution may be seconds old.
  const latest = useQuery({
    ...trpc.executions.list.queryOptions(on && workflowId ? { workflowId, limit: 1 } : skipToken),
    staleTime: 0,
  });
  const latestId = latest.data?.items[0]?.id;
  const detail = useQuery(trpc.executions.get.queryOptions(on && latestId ? { id: latestId } : skipToken));
  if (workflowId === null || latest.isError || detail.isError) return { text: fallback, last: false };
  if (!latest.data) return undefined;
  if (!latestId) return { text: fallback, last: false };
  if (!detail.data) return undefined;
  // Only triggers that deliver a body (webhooks) have one to start from.
  const { trigger } = detail.data;
  const body = 'body' in trigger ? trigger.body : undefined;
  return body === null || body === undefined || body === ''
    ? { text: fallback, last: false }
    : { text: JSON.stringify(body, null, 2), last: true };
}

interface PayloadFieldProps {
  text: string;
  onChange: (text: string) => void;
  onRun: () => void;
  loading: boolean;
  /** Says where the starting text came from. */
  helper: string;
}

/** The JSON payload box: Ctrl+Enter runs it; a problem shows under it. */
export function PayloadField({ text, onChange, onRun, loading, helper }: PayloadFieldProps) {
  const parsed = parsePayload(text);
  return (
    <Field.Root invalid={!loading && !parsed.ok}>
      <Field.Label>Payload (JSON)</Field.Label>
      <Textarea
        value={text}
        onChange={(event) => onChange(event.currentTarget.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.metaKey || event.ctrlKey)) {
            event.preventDefault();
            onRun();
          }
        }}
        disabled={loading}
        placeholder={loading ? 'Loading the last payload…' : undefined}
        fontFamily="mono"
        fontSize="sm"
        rows={8}
        spellCheck={false}
        autoComplete="off"
      />
      {parsed.ok || loading ? (
        <Field.HelperText>{helper} Ctrl+Enter runs it.</Field.HelperText>
      ) : (
        <Field.ErrorText>{parsed.message}</Field.ErrorText>
      )}
    </Field.Root>
  );
}
