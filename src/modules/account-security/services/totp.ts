import { Secret, TOTP } from 'otpauth';
import { hmacSha256, randomBytes } from '../../../lib/crypto';
import { openSecret, sealSecret } from '../../../lib/secret-box';

/** RFC 6238 as every authenticator app reads it: HMAC-SHA1, 6 digits, 30-second steps. */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** Codes of the previous and the next step are accepted too (clock drift). */
export const TOTP_WINDOW = 1;
export const BACKUP_CODE_COUNT = 10;
/** 32 symbols without 0/O and 1/I: 5 bits per character, 50 bits per code. */
const BACKUP_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const BACKUP_CODE_LENGTH = 10;

/** A new 160-bit TOTP secret, base32 (what authenticator apps take). */
export const newTotpSecret = () => new Secret({ size: 20 }).base32;

/** The `otpauth://totp/...` URI of a secret (the content of the enrolment QR code). */
export function otpauthUri(secret: string, issuer: string, accountName: string): string {
  return new TOTP({ issuer, label: accountName, secret: Secret.fromBase32(secret), ...TOTP_PARAMETERS }).toString();
}

/** The time step (unix seconds / 30) a code belongs to, within the window around `now`; null when it matches none. */
export function matchTotp(secret: string, code: string, now: Date): number | null {
  const timestamp = now.getTime();
  const delta = TOTP.validate({ token: code, secret: Secret.fromBase32(secret), ...TOTP_PARAMETERS, timestamp, window: TOTP_WINDOW });
  return delta === null ? null : TOTP.counter({ period: TOTP_PARAMETERS.period, timestamp }) + delta;
}

/** The TOTP secret at rest: sealed with ENCRYPTION_KEY, bound to its owner. */
export const sealTotpSecret = (key: string, userId: string, secret: string) => sealSecret(key, secret, `totp:${userId}`);
export const openTotpSecret = (key: string, userId: string, sealed: string) => openSecret(key, sealed, `totp:${userId}`);

/** Ten fresh backup codes (two groups of five characters, e.g. `7KQ2M-XW9TD`), shown once. */
export function generateBackupCodes(): string[] {
  return Array.from({ length: BACKUP_CODE_COUNT }, () => {
    const chars = [...randomBytes(BACKUP_CODE_LENGTH)].map((b) => BACKUP_ALPHABET[b & 31]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

/** What the user typed, in canonical form: upper case, no spaces or dashes. */
export const normalizeBackupCode = (code: string) => code.toUpperCase().replace(/[\s-]/g, '');

/**
 * A backup code at rest: HMAC-SHA-256 under ENCRYPTION_KEY (a pepper) of the owner and the code,
 * so a leaked database alone cannot be brute-forced and a hash copied to another user never matches.
 */
export const hashBackupCode = (key: string, userId: string, code: string) => hmacSha256(key, `backup-code:${userId}:${normalizeBackupCode(code)}`);
