import {
  hmacAlgorithms,
  MAX_RESPONSE_WAIT_MS,
  type SignaturePreset,
  signaturePresets,
  signaturePresetTitles,
} from '@automateos/shared';
import { Checkbox, HStack, Input, Stack } from '@chakra-ui/react';
import { CredentialPicker } from '../../credentials/credential-picker';
import { useEditor } from '../../workflows/editor/editor-context';
import { EditorField, NumberInput, Section, Select } from '../../workflows/editor/fields';
import { asRecord, asText, withField } from '../../workflows/values';

const CONFIG = ['definition', 'trigger', 'config'] as const;
const NONE = 'none';

const isPreset = (value: unknown): value is SignaturePreset =>
  signaturePresets.some((preset) => preset === value);

/**
 * What the webhook checks and answers: the sender's signature (with the secret from a credential),
 * idempotency keys, and whether to answer at once or with the workflow's result.
 */
export function WebhookFrontDoorForm({ config }: { config: Record<string, unknown> }) {
  const { dispatch, readOnly } = useEditor();
  const signature = config.signature === undefined ? undefined : asRecord(config.signature);
  const idempotency = config.idempotency === undefined ? undefined : asRecord(config.idempotency);
  const response = config.response === undefined ? undefined : asRecord(config.response);
  const preset = signature && isPreset(signature.preset) ? signature.preset : NONE;

  /** Sets (or, with undefined, removes) one part of the trigger's config. */
  const setPart = (
    part: 'signature' | 'idempotency' | 'response',
    value: Record<string, unknown> | undefined,
  ) =>
    dispatch({
      type: 'updateTrigger',
      // In place: a part edited keeps its position in the config (and in the JSON tab).
      update: (current) => ({ ...current, config: withField(asRecord(current.config), part, value) }),
    });

  return (
    <Stack gap="4">
      <Section title="Signature">
        <HStack gap="3" align="start" wrap="wrap">
          <EditorField path={[...CONFIG, 'signature', 'preset']} label="Verify" flex="1">
            <Select
              aria-label="Signature preset"
              value={preset}
              disabled={readOnly}
              options={[
                { value: NONE, label: 'No signature check' },
                ...signaturePresets.map((value) => ({ value, label: signaturePresetTitles[value] })),
              ]}
              onChange={(value) =>
                setPart(
                  'signature',
                  isPreset(value)
                    ? {
                        preset: value,
                        credentialId: asText(signature?.credentialId, ''),
                        ...(value === 'hmac'
                          ? { header: 'X-Signature', algorithm: 'sha256', encoding: 'hex' }
                          : {}),
                      }
                    : undefined,
                )
              }
            />
          </EditorField>
          {signature && (
            <EditorField path={[...CONFIG, 'signature', 'credentialId']} label="Signing secret" flex="1">
              <CredentialPicker
                aria-label="Signing secret"
                types={['webhookSecret']}
                value={
                  typeof signature.credentialId === 'string' && signature.credentialId !== ''
                    ? signature.credentialId
                    : undefined
                }
                optional={false}
                disabled={readOnly}
                onChange={(credentialId) =>
                  setPart('signature', { ...signature, credentialId: credentialId ?? '' })
                }
              />
            </EditorField>
          )}
        </HStack>
        {signature && preset === 'hmac' && (
          <HStack gap="3" align="start" wrap="wrap">
            <EditorField path={[...CONFIG, 'signature', 'header']} label="Header" flex="1">
              <Input
                size="sm"
                value={asText(signature.header, '')}
                readOnly={readOnly}
                onChange={(event) => setPart('signature', { ...signature, header: event.target.value })}
              />
            </EditorField>
            <EditorField path={[...CONFIG, 'signature', 'algorithm']} label="Algorithm">
              <Select
                value={asText(signature.algorithm, 'sha256')}
                options={hmacAlgorithms.map((value) => ({ value, label: value.toUpperCase() }))}
                disabled={readOnly}
                onChange={(value) => setPart('signature', { ...signature, algorithm: value })}
              />
            </EditorField>
            <EditorField path={[...CONFIG, 'signature', 'encoding']} label="Encoding">
              <Select
                value={asText(signature.encoding, 'hex')}
                options={[
                  { value: 'hex', label: 'hex' },
                  { value: 'base64', label: 'base64' },
                ]}
                disabled={readOnly}
                onChange={(value) => setPart('signature', { ...signature, encoding: value })}
              />
            </EditorField>
            <EditorField path={[...CONFIG, 'signature', 'prefix']} label="Prefix" optional>
              <Input
                size="sm"
                placeholder="sha256="
                value={asText(signature.prefix, '')}
                readOnly={readOnly}
                onChange={(event) => setPart('signature', { ...signature, prefix: event.target.value })}
              />
            </EditorField>
            <EditorField
              path={[...CONFIG, 'signature', 'timestampHeader']}
              label="Timestamp header"
              optional
              helperText="Then the signed text is <timestamp>.<body>"
            >
              <Input
                size="sm"
                value={asText(signature.timestampHeader, '')}
                readOnly={readOnly}
                onChange={(event) =>
                  setPart(
                    'signature',
                    withField(signature, 'timestampHeader', event.target.value || undefined),
                  )
                }
              />
            </EditorField>
          </HStack>
        )}
      </Section>

      <Section title="Duplicates">
        <Checkbox.Root
          checked={idempotency?.enabled !== false && idempotency !== undefined}
          disabled={readOnly}
          onCheckedChange={({ checked }) =>
            setPart(
              'idempotency',
              checked === true ? { enabled: true, header: 'Idempotency-Key', ttlHours: 24 } : undefined,
            )
          }
        >
          <Checkbox.HiddenInput />
          <Checkbox.Control />
          <Checkbox.Label>Answer a repeated idempotency key with the first execution</Checkbox.Label>
        </Checkbox.Root>
        {idempotency && (
          <HStack gap="3" align="start" wrap="wrap">
            <EditorField path={[...CONFIG, 'idempotency', 'header']} label="Key header" flex="1">
              <Input
                size="sm"
                value={asText(idempotency.header, 'Idempotency-Key')}
                readOnly={readOnly}
                onChange={(event) => setPart('idempotency', { ...idempotency, header: event.target.value })}
              />
            </EditorField>
            <EditorField path={[...CONFIG, 'idempotency', 'ttlHours']} label="Keep keys (hours)">
              <NumberInput
                value={idempotency.ttlHours}
                placeholder="24"
                onChange={(ttlHours) => setPart('idempotency', { ...idempotency, ttlHours })}
              />
            </EditorField>
            {signature && (
              <Checkbox.Root
                checked={idempotency.deliveryId === true}
                disabled={readOnly}
                onCheckedChange={({ checked }) =>
                  setPart('idempotency', { ...idempotency, deliveryId: checked === true })
                }
              >
                <Checkbox.HiddenInput />
                <Checkbox.Control />
                <Checkbox.Label>Use the sender's delivery id</Checkbox.Label>
              </Checkbox.Root>
            )}
          </HStack>
        )}
      </Section>

      <Section title="Answer">
        <HStack gap="3" align="start" wrap="wrap">
          <EditorField path={[...CONFIG, 'response', 'mode']} label="Answer" flex="1">
            <Select
              aria-label="Response mode"
              value={asText(response?.mode, 'immediately')}
              disabled={readOnly}
              options={[
                { value: 'immediately', label: 'At once: 202 with the execution id' },
                { value: 'whenFinished', label: "When finished: the workflow's result" },
              ]}
              onChange={(mode) =>
                setPart(
                  'response',
                  mode === 'whenFinished' ? { mode, timeoutMs: 10_000, statusCode: 200 } : undefined,
                )
              }
            />
          </EditorField>
          {response && (
            <>
              <EditorField
                path={[...CONFIG, 'response', 'timeoutMs']}
                label="Wait at most (ms)"
                helperText={`Then 202; at most ${MAX_RESPONSE_WAIT_MS / 1000} s`}
              >
                <NumberInput
                  value={response.timeoutMs}
                  placeholder="10000"
                  onChange={(timeoutMs) => setPart('response', { ...response, timeoutMs })}
                />
              </EditorField>
              <EditorField
                path={[...CONFIG, 'response', 'stepId']}
                label="Step whose output"
                optional
                helperText="The last step by default"
              >
                <Input
                  size="sm"
                  value={asText(response.stepId, '')}
                  readOnly={readOnly}
                  onChange={(event) =>
                    setPart('response', withField(response, 'stepId', event.target.value || undefined))
                  }
                />
              </EditorField>
              <EditorField path={[...CONFIG, 'response', 'statusCode']} label="Status code">
                <NumberInput
                  value={response.statusCode}
                  placeholder="200"
                  onChange={(statusCode) => setPart('response', { ...response, statusCode })}
                />
              </EditorField>
            </>
          )}
        </HStack>
      </Section>
    </Stack>
  );
}
