import type { Env } from '../../../env';
import { hmacSha256, randomToken, sha256Hex, toHex, randomBytes } from '../../../lib/crypto';

export interface SessionPolicy {
  idleSeconds: number;
  absoluteSeconds: number;
  graceSeconds: number;
}

const positive = (value: string | undefined, fallback: number) => {
  const n = Number(value);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
};

export function sessionPolicy(env: Env): SessionPolicy {
  return {
    idleSeconds: positive(env.REFRESH_IDLE_TTL, 7 * 24 * 3600),
    absoluteSeconds: positive(env.REFRESH_ABSOLUTE_TTL, 30 * 24 * 3600),
    graceSeconds: positive(env.REFRESH_REUSE_GRACE, 30),
  };
}

/** A new session's refresh token: 256 bits from the CSPRNG; only its SHA-256 is stored. */
export async function issueRefreshToken() {
  const token = randomToken(32);
  return { token, hash: await sha256Hex(token) };
}

/**
 * The token that replaces `token` at a rotation: HMAC-SHA-256 (server secret) of the presented
 * token and a fresh 256-bit salt from the CSPRNG. Only the salt and the successor's hash are
 * stored, so the successor can be recomputed from the presented token alone: a second tab that
 * refreshes with the same token within the grace window receives the same successor instead of
 * tripping reuse detection, and a database leak reveals no usable token.
 */
export async function rotateRefreshToken(env: Env, token: string, salt = toHex(randomBytes(32))) {
  const successor = await hmacSha256(env.JWT_SECRET, `refresh:${token}:${salt}`);
  return { token: successor, hash: await sha256Hex(successor), salt };
}
