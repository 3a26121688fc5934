import { jwtVerify, SignJWT } from 'jose';

export const SESSION_COOKIE = 'aos_session';
export const SESSION_TTL_SECONDS = 60 * 60 * 24 * 7;

const ISSUER = 'automateos';
const AUDIENCE = 'automateos:web';

export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

export interface TokenKeys {
  secret: Uint8Array;
}

export function tokenKeys(secret: string): TokenKeys {
  return { secret: new TextEncoder().encode(secret) };
}

export async function signSession(keys: TokenKeys, claims: SessionClaims, now = new Date()): Promise<string> {
  const iat = Math.floor(now.getTime() / 1000);
  return new SignJWT({ sv: claims.sessionVersion })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(iat + SESSION_TTL_SECONDS)
    .sign(keys.secret);
}

/** Returns the claims of a valid token, or null for anything else: no detail leaks to the caller. */
export async function verifySession(keys: TokenKeys, token: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, keys.secret, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    const sv = payload.sv;
    if (typeof payload.sub !== 'string' || typeof sv !== 'number' || !Number.isInteger(sv)) return null;
    return { userId: payload.sub, sessionVersion: sv };
  } catch {
    return null;
  }
}
