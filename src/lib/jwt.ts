import { errors, jwtVerify, SignJWT } from 'jose';
import type { Env } from '../env';

/** Only HMAC-SHA-256: `none` and every asymmetric or embedded-key algorithm are refused. */
const ALGORITHM = 'HS256';

export type TokenUse = 'access' | 'two_factor_challenge';

const headerType: Record<TokenUse, string> = { access: 'at+jwt', two_factor_challenge: 'aegisx-2fa+jwt' };

export interface AccessClaims {
  sub: string;
  sid: string;
  roles: string[];
  perms: string[];
}

export interface VerifiedToken<T> {
  claims: T & { exp: number; iat: number; jti: string };
}

export type TokenFailure = 'expired' | 'invalid';

export class TokenError extends Error {
  constructor(readonly reason: TokenFailure) {
    super(`token ${reason}`);
  }
}

const keys = new Map<string, Uint8Array>();
function secretKey(secret: string): Uint8Array {
  let key = keys.get(secret);
  if (!key) {
    if (!secret || secret.length < 32) throw new Error('JWT_SECRET must be at least 32 characters');
    key = new TextEncoder().encode(secret);
    keys.set(secret, key);
  }
  return key;
}

export function accessTokenTtl(env: Env): number {
  const ttl = Number(env.ACCESS_TOKEN_TTL);
  return Number.isInteger(ttl) && ttl >= 60 ? ttl : 900;
}

/** Signs a token of one use (a `token_use` claim and a `typ` header tell them apart). */
export async function signToken(env: Env, use: TokenUse, claims: Record<string, unknown>, ttlSeconds: number, now: Date) {
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + ttlSeconds;
  const token = await new SignJWT({ ...claims, token_use: use })
    .setProtectedHeader({ alg: ALGORITHM, typ: headerType[use] })
    .setIssuer(env.JWT_ISSUER)
    .setAudience(env.JWT_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .setJti(crypto.randomUUID())
    .sign(secretKey(env.JWT_SECRET));
  return { token, expiresAt: new Date(exp * 1000) };
}

/**
 * Verifies signature, algorithm, issuer, audience, expiry (against the request's clock), the
 * `typ` header and the `token_use` claim. Keys embedded in the header (`jwk`, `jku`, `x5u`)
 * are never used: the key is always the server secret.
 */
export async function verifyToken<T>(env: Env, use: TokenUse, token: string, now: Date): Promise<VerifiedToken<T>> {
  try {
    const { payload } = await jwtVerify(token, secretKey(env.JWT_SECRET), {
      algorithms: [ALGORITHM],
      issuer: env.JWT_ISSUER,
      audience: env.JWT_AUDIENCE,
      typ: headerType[use],
      currentDate: now,
      requiredClaims: ['exp', 'iat', 'jti', 'sub'],
    });
    if (payload.token_use !== use) throw new TokenError('invalid');
    return { claims: payload as unknown as VerifiedToken<T>['claims'] };
  } catch (error) {
    if (error instanceof TokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new TokenError('expired');
    throw new TokenError('invalid');
  }
}
