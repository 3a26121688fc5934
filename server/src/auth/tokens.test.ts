import { base64url, SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signSession, tokenKeys, verifySession } from './tokens';

const keys = tokenKeys('a-test-secret-of-at-least-thirty-two-bytes!');
const claims = { userId: '3f67d356-a8de-42c5-ad77-bb2a03d9b58f', sessionVersion: 3 };
const now = () => Math.floor(Date.now() / 1000);

function jwt(
  overrides: { alg?: string; iss?: string; aud?: string; exp?: number | null; secret?: string } = {},
) {
  const builder = new SignJWT({ sv: 3 })
    .setProtectedHeader({ alg: overrides.alg ?? 'HS256' })
    .setSubject(claims.userId)
    .setIssuer(overrides.iss ?? 'automateos')
    .setAudience(overrides.aud ?? 'automateos:web')
    .setIssuedAt();
  if (overrides.exp !== null) builder.setExpirationTime(overrides.exp ?? now() + 3600);
  return builder.sign(
    new TextEncoder().encode(overrides.secret ?? 'a-test-secret-of-at-least-thirty-two-bytes!'),
  );
}

describe('session tokens', () => {
  it('round-trips the user id and session version', async () => {
    expect(await verifySession(keys, await signSession(keys, claims))).toEqual(claims);
    expect(await verifySession(keys, await jwt())).toEqual(claims);
  });

  it('rejects every tampered token', async () => {
    const good = await signSession(keys, claims);
    const [header, payload, signature] = good.split('.') as [string, string, string];
    // One byte of the decoded signature flipped, so the token always changes (editing base64url
    // text can land on bits the decoder ignores).
    const signatureBytes = base64url.decode(signature);
    signatureBytes[0] = (signatureBytes[0] ?? 0) ^ 0xff;
    const flipped = `${header}.${payload}.${base64url.encode(signatureBytes)}`;
    const none = new UnsecuredJWT({ sv: 3 })
      .setSubject(claims.userId)
      .setIssuer('automateos')
      .setAudience('automateos:web')
      .setIssuedAt()
      .setExpirationTime('1h')
      .encode();
    const forgedPayload = base64url.encode(
      JSON.stringify({ ...JSON.parse(new TextDecoder().decode(base64url.decode(payload))), sv: 99 }),
    );
    const bad = {
      'alg none': none,
      'HS512 instead of HS256': await jwt({ alg: 'HS512' }),
      'no exp': await jwt({ exp: null }),
      expired: await jwt({ exp: now() - 10 }),
      'wrong issuer': await jwt({ iss: 'someone-else' }),
      'wrong audience': await jwt({ aud: 'automateos:cli' }),
      'other secret': await jwt({ secret: 'another-secret-of-at-least-thirty-two-bytes' }),
      'flipped signature': flipped,
      'edited payload': `${header}.${forgedPayload}.${signature}`,
      garbage: 'not.a.jwt',
      empty: '',
    };
    const accepted = [];
    for (const [name, token] of Object.entries(bad))
      if (await verifySession(keys, token)) accepted.push(name);
    expect(flipped).not.toBe(good);
    expect(accepted).toEqual([]);
  });
});
