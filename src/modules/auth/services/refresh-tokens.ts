import type { Env } from '../../../env';
import { hmacSha256, randomBytes, randomToken, sha256Hex, timingSafeEqual, toHex } from '../../../lib/crypto';

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
    graceSeconds: positive(env.REFRESH_REUSE_GRACE, 10),
  };
}

/*
 * Refresh tokens carry their family: `<session id, 32 hex>.<256-bit secret, base64url>.<tag>`,
 * the tag an HMAC (server secret) of the first two parts. Only a token's SHA-256 is stored. The
 * family lets a refresh recognise ANY token the session ever had (RFC 9700 reuse detection): a
 * genuine token of the family that is neither the current one nor, within the grace window, the
 * previous one is a stolen or replayed one, and the whole session is revoked. The tag makes
 * families unforgeable: a made-up token naming someone's session is merely invalid.
 */

const TAG_LENGTH = 22;

async function familyTag(env: Env, family: string, secret: string) {
  return (await hmacSha256(env.JWT_SECRET, `refresh-family:${family}.${secret}`)).slice(0, TAG_LENGTH);
}

async function familyToken(env: Env, sessionId: string, secret: string) {
  const family = sessionId.replaceAll('-', '');
  const token = `${family}.${secret}.${await familyTag(env, family, secret)}`;
  return { token, hash: await sha256Hex(token) };
}

/** The session a genuine family token belongs to, or null (another format, or a forged tag). */
export async function refreshTokenFamily(env: Env, token: string): Promise<string | null> {
  const match = /^([0-9a-f]{32})\.([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/.exec(token);
  if (!match) return null;
  const [, family, secret, tag] = match as unknown as [string, string, string, string];
  if (!timingSafeEqual(tag, await familyTag(env, family, secret))) return null;
  return `${family.slice(0, 8)}-${family.slice(8, 12)}-${family.slice(12, 16)}-${family.slice(16, 20)}-${family.slice(20)}`;
}

/** A new session's refresh token: a 256-bit secret from the CSPRNG in the session's family. */
export async function issueRefreshToken(env: Env, sessionId: string) {
  return familyToken(env, sessionId, randomToken(32));
}

/**
 * The token that replaces `token` at a rotation, in the same family: its secret is HMAC-SHA-256
 * (server secret) of the presented token and a fresh 256-bit salt from the CSPRNG. Only the salt
 * and the successor's hash are stored, so the successor can be recomputed from the presented
 * token alone: a second tab that refreshes with the same token within the grace window receives
 * the same successor instead of tripping reuse detection, and a database leak reveals no usable
 * token. (A token of the format before families has no session id: its successor joins the
 * session's family.)
 */
export async function rotateRefreshToken(env: Env, token: string, sessionId: string, salt = toHex(randomBytes(32))) {
  const secret = await hmacSha256(env.JWT_SECRET, `refresh:${token}:${salt}`);
  return { ...(await familyToken(env, sessionId, secret)), salt };
}
