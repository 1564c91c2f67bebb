import bcrypt from 'bcryptjs';
import { COMMON_PASSWORDS } from './data/common-passwords';
import { ApiError } from './errors';

export const PASSWORD_MIN_LENGTH = 8;
/** bcrypt reads at most 72 bytes; longer passphrases are accepted and pre-hashed (see hashInput). */
export const PASSWORD_MAX_LENGTH = 128;
export const DEFAULT_BCRYPT_COST = 10;

let common: Set<string> | undefined;

/** True when the password is among the 10,000 most common ones (case-insensitive). */
export function isCommonPassword(password: string): boolean {
  common ??= new Set(COMMON_PASSWORDS.split('\n'));
  return common.has(password.toLowerCase());
}

/**
 * bcrypt ignores everything after 72 bytes. Passwords longer than that are first reduced to a
 * base64 SHA-256 digest (44 bytes), so every character counts; shorter ones are hashed as they
 * are, which keeps the original system's `$2a$`/`$2b$` hashes verifying.
 */
async function hashInput(password: string): Promise<string> {
  const bytes = new TextEncoder().encode(password.normalize('NFC'));
  if (bytes.length <= 72) return password.normalize('NFC');
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return `sha256:${btoa(String.fromCharCode(...digest))}`;
}

export function bcryptCost(configured: string | undefined): number {
  const cost = Number(configured);
  return Number.isInteger(cost) && cost >= 4 && cost <= 15 ? cost : DEFAULT_BCRYPT_COST;
}

export async function hashPassword(password: string, cost: number): Promise<string> {
  return bcrypt.hash(await hashInput(password), cost);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(await hashInput(password), hash);
}

/** A hash made with another cost than the configured one is re-hashed after a successful login. */
export function needsRehash(hash: string, cost: number): boolean {
  try {
    return bcrypt.getRounds(hash) !== cost;
  } catch {
    return true;
  }
}

const dummyHashes = new Map<number, Promise<string>>();

/**
 * Compares against a fixed hash of the configured cost, so that an unknown account costs the
 * same time as a known one with a wrong password.
 */
export async function burnPasswordCheck(password: string, cost: number): Promise<false> {
  let dummy = dummyHashes.get(cost);
  if (!dummy) {
    dummy = bcrypt.hash('aegisx-dummy-password', cost);
    dummyHashes.set(cost, dummy);
  }
  await bcrypt.compare(await hashInput(password), await dummy);
  return false;
}

/** What a password may not contain: the account's own identifiers. */
export interface PasswordContext {
  email?: string | null;
  username?: string | null;
  names?: readonly (string | null | undefined)[];
}

/**
 * The parts of the account a password must not contain (case-insensitive): the username, the
 * email's local part and the user's names, each of at least 3 characters (shorter ones would
 * refuse too much). Returns the offending kind, or null.
 */
export function passwordContainsIdentity(password: string, context: PasswordContext): 'username' | 'email' | 'name' | null {
  const lower = password.toLowerCase();
  const contains = (part: string | null | undefined) => Boolean(part && part.trim().length >= 3 && lower.includes(part.trim().toLowerCase()));
  if (contains(context.username)) return 'username';
  if (contains(context.email?.split('@')[0])) return 'email';
  for (const name of context.names ?? []) for (const word of (name ?? '').split(/\s+/)) if (contains(word)) return 'name';
  return null;
}

/** 400 VALIDATION_ERROR on `field` when the password contains the account's own identifiers. */
export function checkPasswordPolicy(password: string, context: PasswordContext, field = 'body.newPassword'): void {
  const found = passwordContainsIdentity(password, context);
  if (found) {
    throw new ApiError('VALIDATION_ERROR', 'Invalid request data', {
      details: [{ field, message: `The password must not contain your ${found === 'email' ? 'email address' : found}`, code: 'password_contains_identity' }],
    });
  }
}
