import { expect } from 'vitest';
import { api } from '../harness';

export interface NotificationFixture {
  type?: string;
  title?: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  read?: boolean;
  archived?: boolean;
  /** The send's request clock (X-Test-Now), which becomes `createdAt`. */
  createdAt?: Date;
  expiresAt?: Date | null;
}

/** A signed-in recipient (what signedInUser returns). */
export interface Recipient {
  user: { id: string };
  session: { accessToken: string };
}

/**
 * Sends a notification to `to` through the API (`POST /api/notifications` as `senderToken`, which
 * needs notifications:send), then, as the recipient, marks it read or archived (`PATCH`) when asked.
 * A notification that is already expired is sent a minute before its expiry (the request clock),
 * as it would have been. Returns its id.
 */
export async function sendNotification(senderToken: string, to: Recipient, n: NotificationFixture = {}): Promise<string> {
  const now = n.createdAt ?? (n.expiresAt && n.expiresAt.getTime() <= Date.now() ? new Date(n.expiresAt.getTime() - 60_000) : undefined);
  const res = await api('/api/notifications', {
    method: 'POST',
    token: senderToken,
    body: { userId: to.user.id, type: n.type ?? 'system', title: n.title ?? 'A notification', message: 'message', priority: n.priority ?? 'normal', ...(n.expiresAt ? { expiresAt: n.expiresAt.toISOString() } : {}) },
    ...(now ? { now } : {}),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const id: string = res.body.data.notifications[0].id;
  if (n.read || n.archived) {
    const flags = { ...(n.read ? { read: true } : {}), ...(n.archived ? { archived: true } : {}) };
    const changed = await api(`/api/notifications/${id}`, { method: 'PATCH', token: to.session.accessToken, body: flags, ...(now ? { now } : {}) });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  }
  return id;
}

/** One case of quiet-hours evaluation: a zone, a daily window, the clock, and when the window ends (null: outside). */
export interface QuietCase {
  name: string;
  zone: string;
  start: string;
  end: string;
  now: string;
  endsAt: string | null;
}

/** Shared by the unit tests of quiet-hours.ts and the API tests of the SQL that stores the email time. */
export const quietCases: QuietCase[] = [
  { name: 'window across midnight, before midnight (Bangkok)', zone: 'Asia/Bangkok', start: '22:00', end: '07:00', now: '2026-06-01T16:30:00Z', endsAt: '2026-06-02T00:00:00.000Z' },
  { name: 'window across midnight, after midnight (Bangkok)', zone: 'Asia/Bangkok', start: '22:00', end: '07:00', now: '2026-06-01T23:30:00Z', endsAt: '2026-06-02T00:00:00.000Z' },
  { name: 'start of the window is inside', zone: 'Asia/Bangkok', start: '22:00', end: '07:00', now: '2026-06-01T15:00:00Z', endsAt: '2026-06-02T00:00:00.000Z' },
  { name: 'end of the window is outside', zone: 'Asia/Bangkok', start: '22:00', end: '07:00', now: '2026-06-02T00:00:00Z', endsAt: null },
  { name: 'morning after the window', zone: 'Asia/Bangkok', start: '22:00', end: '07:00', now: '2026-06-02T01:00:00Z', endsAt: null },
  { name: 'daytime window (New York, summer time)', zone: 'America/New_York', start: '09:00', end: '17:00', now: '2026-07-01T14:00:00Z', endsAt: '2026-07-01T21:00:00.000Z' },
  { name: 'before a daytime window', zone: 'America/New_York', start: '09:00', end: '17:00', now: '2026-07-01T12:00:00Z', endsAt: null },
  { name: 'across midnight and the spring-forward change (New York)', zone: 'America/New_York', start: '22:00', end: '07:00', now: '2026-03-08T04:00:00Z', endsAt: '2026-03-08T11:00:00.000Z' },
  { name: 'window ending in the spring-forward gap (02:30 does not exist)', zone: 'America/New_York', start: '23:00', end: '02:30', now: '2026-03-08T05:00:00Z', endsAt: '2026-03-08T07:30:00.000Z' },
  { name: 'window ending in the fall-back overlap (01:30 happens twice: the later)', zone: 'America/New_York', start: '23:00', end: '01:30', now: '2026-11-01T04:30:00Z', endsAt: '2026-11-01T06:30:00.000Z' },
  { name: 'same UTC instant, other zone: outside (London)', zone: 'Europe/London', start: '22:00', end: '07:00', now: '2026-06-01T16:30:00Z', endsAt: null },
  { name: 'half-hour zone (Kolkata, alias Asia/Calcutta)', zone: 'Asia/Calcutta', start: '23:00', end: '06:30', now: '2026-01-10T18:00:00Z', endsAt: '2026-01-11T01:00:00.000Z' },
  { name: 'unknown zone counts as UTC', zone: 'Mars/Olympus_Mons', start: '22:00', end: '07:00', now: '2026-06-01T23:00:00Z', endsAt: '2026-06-02T07:00:00.000Z' },
  { name: 'window across midnight at the end of a month (Tokyo)', zone: 'Asia/Tokyo', start: '21:00', end: '08:00', now: '2026-01-31T13:00:00Z', endsAt: '2026-01-31T23:00:00.000Z' },
];
