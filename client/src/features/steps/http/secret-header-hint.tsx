import { type CredentialType, httpStepType, isSecretLookingName } from '@automateos/shared';
import { Alert, Button, Code } from '@chakra-ui/react';
import { useState } from 'react';
import { CredentialDialog, type CredentialDialogMode } from '../../credentials/credential-dialog';
import { asRecord } from '../../workflows/values';

export interface SuggestedCredential {
  type: CredentialType;
  data: Record<string, string>;
}

function decodeBase64(text: string): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(
      Uint8Array.from(atob(text), (char) => char.charCodeAt(0)),
    );
  } catch {
    return undefined;
  }
}

/** The credential a hand-typed header becomes: a Bearer token, a Basic user and password, or the header as it is. */
export function credentialFor(name: string, value: string): SuggestedCredential {
  if (name.toLowerCase() === 'authorization') {
    const bearer = /^Bearer\s+(\S+)$/i.exec(value.trim());
    if (bearer?.[1]) return { type: 'httpBearer', data: { token: bearer[1] } };
    const basic = /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(value.trim());
    const decoded = basic?.[1] ? decodeBase64(basic[1]) : undefined;
    const colon = decoded?.indexOf(':') ?? -1;
    if (decoded !== undefined && colon > 0) {
      return {
        type: 'httpBasic',
        data: { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) },
      };
    }
  }
  return { type: 'httpHeader', data: { name, value } };
}

/** The headers typed by hand that look like secrets: what the hint is about. An expression's value comes from the run. */
export function secretLookingHeaders(headers: unknown): [string, string][] {
  return Object.entries(asRecord(headers)).flatMap(([name, value]) =>
    isSecretLookingName(name) && typeof value === 'string' && value.trim() !== '' && !value.includes('{{')
      ? [[name, value]]
      : [],
  );
}

/**
 * Under the HTTP step's headers: a secret typed into a header is saved in the workflow, shown in the
 * editor and copied into every export. The hint offers to move it into a credential, which then
 * replaces the header.
 */
export function SecretHeaderHint({
  headers,
  usesCredential,
  onMoved,
}: {
  headers: unknown;
  usesCredential: boolean;
  onMoved: (header: string, credentialId: string) => void;
}) {
  const [moving, setMoving] = useState<{ header: string; mode: CredentialDialogMode } | null>(null);
  const found = secretLookingHeaders(headers);
  if (found.length === 0) return null;
  return (
    <>
      {found.map(([name, value]) => (
        <Alert.Root key={name} status="warning" size="sm">
          <Alert.Indicator />
          <Alert.Content>
            <Alert.Title>
              <Code size="sm">{name}</Code> looks like a secret
            </Alert.Title>
            <Alert.Description>
              Typed here it is saved in the workflow and in its exports. The execution log hides it; a
              credential also keeps it encrypted and out of the editor.
              {usesCredential &&
                ' This step already uses a credential: remove the header if that one replaces it.'}
            </Alert.Description>
          </Alert.Content>
          {!usesCredential && (
            <Button
              size="xs"
              variant="outline"
              alignSelf="center"
              onClick={() => {
                const suggested = credentialFor(name, value);
                setMoving({
                  header: name,
                  mode: {
                    kind: 'create',
                    types: httpStepType.auth.types,
                    initial: { ...suggested, name: '' },
                  },
                });
              }}
            >
              Move to a credential
            </Button>
          )}
        </Alert.Root>
      ))}
      <CredentialDialog
        mode={moving?.mode ?? null}
        onClose={() => setMoving(null)}
        onSaved={(credential) => moving && onMoved(moving.header, credential.id)}
      />
    </>
  );
}
