/**
 * How the client shows each credential type: its icon and a line about its public fields. Keyed like
 * `credentialTypes` in shared/, so a type added there without an entry here fails the type check.
 * The form itself is built from the shared spec's fields (credential-fields.tsx).
 */
import type { CredentialType } from '@automateos/shared';
import {
  HashIcon,
  type KeyIcon as Icon,
  KeyIcon,
  MailIcon,
  NotionIcon,
  ShieldIcon,
  SlackIcon,
  UserLockIcon,
} from '../../components/icons';
import { asText } from '../workflows/values';

export interface CredentialView {
  icon: typeof Icon;
  palette: string;
  /** What the list says about it besides its type: "smtp.example.com:587 · STARTTLS". Never a secret. */
  summary(data: Record<string, unknown>, storedSecrets: readonly string[]): string;
}

const SECURITY: Record<string, string> = { starttls: 'STARTTLS', tls: 'TLS', none: 'no encryption' };

export const credentialViews = {
  httpBearer: { icon: KeyIcon, palette: 'yellow', summary: () => 'Authorization: Bearer …' },
  httpBasic: { icon: UserLockIcon, palette: 'cyan', summary: (data) => `User ${asText(data.username)}` },
  httpHeader: { icon: HashIcon, palette: 'teal', summary: (data) => `${asText(data.name)}: …` },
  notion: { icon: NotionIcon, palette: 'gray', summary: () => 'Internal integration' },
  slack: {
    icon: SlackIcon,
    palette: 'pink',
    summary: (_data, stored) => (stored.includes('webhookUrl') ? 'Incoming webhook' : 'Bot token'),
  },
  smtp: {
    icon: MailIcon,
    palette: 'green',
    summary: (data) =>
      `${asText(data.host)}:${String(data.port ?? '')} · ${SECURITY[asText(data.security)] ?? ''}${data.username ? ` · ${asText(data.username)}` : ''}`,
  },
  webhookSecret: { icon: ShieldIcon, palette: 'purple', summary: () => 'Verifies webhook signatures' },
} satisfies { [Type in CredentialType]: CredentialView };
