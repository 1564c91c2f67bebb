import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import { api, loginAs, registerUser, type ApiResponse, type TestUser } from '../harness';

export interface OutboxEmail {
  id: string;
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  template: string;
  requestId: string;
  createdAt: string;
  links: string[];
}

/** The development outbox's messages to one address (newest first). */
export async function outbox(to: string, template?: string): Promise<OutboxEmail[]> {
  const query = new URLSearchParams({ to, ...(template ? { template } : {}), limit: '100' });
  const res = await api<OutboxEmail[]>(`/api/dev/outbox?${query}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.data;
}

/**
 * The newest message of a template to an address, asserting that exactly `count` such messages
 * were sent. `api()` returns once the Worker's after-response work (`waitUntil`, where emails
 * leave) has finished, so the outbox is complete when this runs: no waiting, no polling.
 */
export async function sentEmail(to: string, template: string, count = 1): Promise<OutboxEmail> {
  const messages = await outbox(to, template);
  expect(messages, `${template} emails to ${to}`).toHaveLength(count);
  return messages[0]!;
}

/** The `token` query parameter of the email's action link (asserting the link's base and path). */
export function tokenFrom(message: OutboxEmail, path: string): string {
  const link = message.links.find((l) => l.startsWith(`https://app.aegisx.test${path}?`));
  expect(link, message.text).toBeTruthy();
  return new URL(link!).searchParams.get('token')!;
}

/** The TOTP code of a base32 secret at an instant (what the user's app shows then). */
export const totpAt = (secret: string, at: Date) => TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: at.getTime() });

/** The start of the 30-second TOTP step containing `at`, plus `offsetSeconds`. */
export const stepAligned = (at: Date, offsetSeconds = 0) => new Date(Math.floor(at.getTime() / 30_000) * 30_000 + offsetSeconds * 1000);

export const seconds = (at: Date, n: number) => new Date(at.getTime() + n * 1000);

export interface TwoFactorUser {
  user: TestUser;
  accessToken: string;
  sessionId: string;
  secret: string;
  backupCodes: string[];
  /** When two-factor was confirmed: codes of this step (and older) are used up. */
  confirmedAt: Date;
}

/** A fresh user with two-factor enabled (setup right after login, so no re-authentication needed). */
export async function userWithTwoFactor(): Promise<TwoFactorUser> {
  const user = await registerUser();
  const session = await loginAs(user.email, user.password);
  const setup = await api('/api/auth/2fa/setup', { method: 'POST', token: session.accessToken });
  expect(setup.status, JSON.stringify(setup.body)).toBe(200);
  const confirmedAt = new Date();
  const confirm = await api('/api/auth/2fa/confirm', {
    method: 'POST',
    token: session.accessToken,
    body: { code: totpAt(setup.body.data.secret, confirmedAt) },
    now: confirmedAt,
  });
  expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
  return { user, accessToken: session.accessToken, sessionId: session.sessionId, secret: setup.body.data.secret, backupCodes: confirm.body.data.backupCodes, confirmedAt };
}

/** Password login of a two-factor user at `now`: the challenge token. */
export async function challengeFor(user: TestUser, now: Date): Promise<string> {
  const res = await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: user.password }, now });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expect(res.body.data).toMatchObject({ twoFactorRequired: true, twoFactorSetupRequired: false, methods: ['totp', 'backup_code'] });
  return res.body.data.challengeToken;
}

export const verifyTwoFactor = (body: Record<string, unknown>, now?: Date): Promise<ApiResponse> =>
  api('/api/auth/2fa/verify', { method: 'POST', body, ...(now ? { now } : {}) });

/** SHA-256 hex of a string, as tokens are stored. */
export async function sha256(value: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(value));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}
