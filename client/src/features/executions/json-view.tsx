import { Box, Button, Clipboard, chakra, HStack, IconButton, Text } from '@chakra-ui/react';
import { useMemo, useState } from 'react';
import { CheckIcon, CopyIcon } from '../../components/icons';
import { type JsonTokenKind, tokenizeJson } from './json-tokens';

// Semantic `*.fg` tokens have a light and a dark shade, so every kind stays readable in both modes.
const tokenColors: Record<JsonTokenKind, string | undefined> = {
  key: 'purple.fg',
  string: 'green.fg',
  number: 'orange.fg',
  boolean: 'blue.fg',
  null: 'fg.muted',
  punctuation: 'fg.muted',
  whitespace: undefined,
};

/** Pretty-printed JSON for the view; `undefined` (which JSON cannot hold) is shown as such. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'undefined';
}

export interface JsonPreview {
  /** The part shown while collapsed: whole lines where possible. */
  text: string;
  truncated: boolean;
  totalLines: number;
}

/** The first `maxLines` lines of `text`, and no more than `maxChars` characters of them. */
export function previewJson(text: string, maxLines: number, maxChars: number): JsonPreview {
  const lines = text.split('\n');
  if (lines.length <= maxLines && text.length <= maxChars) {
    return { text, truncated: false, totalLines: lines.length };
  }
  let shown = lines.slice(0, maxLines).join('\n');
  if (shown.length > maxChars) {
    const lastBreak = shown.lastIndexOf('\n', maxChars);
    // A single huge line (a long string) is cut in the middle; its end is simply left uncolored.
    shown = lastBreak > 0 ? shown.slice(0, lastBreak) : shown.slice(0, maxChars);
  }
  return { text: shown, truncated: true, totalLines: lines.length };
}

/** The tokens as colored spans: plain React text, so nothing in the data can become markup. */
export function JsonTokens({ text }: { text: string }) {
  const tokens = useMemo(() => tokenizeJson(text), [text]);
  return tokens.map((token, index) => {
    const color = tokenColors[token.kind];
    return color ? (
      // biome-ignore lint/suspicious/noArrayIndexKey: the token list is derived from the text and never reordered
      <chakra.span key={index} color={color} data-token={token.kind}>
        {token.text}
      </chakra.span>
    ) : (
      token.text
    );
  });
}

interface JsonViewProps {
  value: unknown;
  /** The text to show instead of `value` laid out (JSON exactly as it was written, say). */
  text?: string | undefined;
  /** What the copy button's label says is being copied, e.g. "output". */
  label?: string;
  maxLines?: number;
  maxChars?: number;
}

/** Syntax-highlighted JSON with a copy button; long documents show their start and a "Show all" toggle. */
export function JsonView({
  value,
  text: given,
  label = 'JSON',
  maxLines = 60,
  maxChars = 8_000,
}: JsonViewProps) {
  const text = useMemo(() => given ?? toJsonText(value), [given, value]);
  const preview = useMemo(() => previewJson(text, maxLines, maxChars), [text, maxLines, maxChars]);
  const [showAll, setShowAll] = useState(false);
  const shown = showAll ? text : preview.text;
  return (
    <Box position="relative" borderWidth="1px" rounded="l2" bg="bg.subtle">
      <Clipboard.Root value={text} position="absolute" top="1" right="1">
        <Clipboard.Trigger asChild>
          <IconButton variant="ghost" size="2xs" aria-label={`Copy ${label}`}>
            <Clipboard.Indicator copied={<CheckIcon />}>
              <CopyIcon />
            </Clipboard.Indicator>
          </IconButton>
        </Clipboard.Trigger>
      </Clipboard.Root>
      <Box
        as="pre"
        fontFamily="mono"
        fontSize="xs"
        lineHeight="tall"
        px="3"
        py="2"
        pr="9"
        overflowX="auto"
        maxH={showAll ? '40rem' : undefined}
        overflowY={showAll ? 'auto' : undefined}
        whiteSpace="pre"
      >
        <JsonTokens text={shown} />
        {preview.truncated && !showAll && <chakra.span color="fg.muted">{'\n…'}</chakra.span>}
      </Box>
      {preview.truncated && (
        <HStack px="3" pb="2" gap="3">
          <Button size="2xs" variant="outline" onClick={() => setShowAll((all) => !all)}>
            {showAll ? 'Show less' : 'Show all'}
          </Button>
          {!showAll && (
            <Text fontSize="xs" color="fg.muted">
              {preview.totalLines.toLocaleString()} lines, {text.length.toLocaleString()} characters
            </Text>
          )}
        </HStack>
      )}
    </Box>
  );
}
