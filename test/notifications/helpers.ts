import { sql } from '../harness';

export interface StoredNotification {
  type?: string;
  title?: string;
  priority?: 'low' | 'normal' | 'high' | 'urgent';
  read?: boolean;
  archived?: boolean;
  createdAt?: Date;
  expiresAt?: Date | null;
}

/** Puts a notification straight into the database (test set-up), returning its id. */
export async function storeNotification(userId: string, n: StoredNotification = {}): Promise<string> {
  const [row] = await sql<{ id: string }>(
    `insert into notifications (user_id, type, title, message, priority, read, archived, created_at, updated_at, expires_at, email_status, channels)
     values ($1, $2, $3, 'message', $4, $5, $6, $7, $7, $8, 'skipped', '{"push":false,"desktop":true,"sound":false}') returning id`,
    [userId, n.type ?? 'system', n.title ?? 'A notification', n.priority ?? 'normal', n.read ?? false, n.archived ?? false, (n.createdAt ?? new Date()).toISOString(), n.expiresAt ? n.expiresAt.toISOString() : null],
  );
  return row!.id;
}

/** A role with a random name (test set-up), returning its name. */
export async function createRole(): Promise<string> {
  const name = `role_${crypto.randomUUID().slice(0, 8)}`;
  await sql('insert into roles (name, description) values ($1, $2)', [name, 'test role']);
  return name;
}

export async function grant(userId: string, role: string, options: { expiresAt?: Date; active?: boolean } = {}) {
  await sql('insert into user_roles (user_id, role_id, is_active, expires_at) select $1, id, $3, $4 from roles where name = $2', [
    userId,
    role,
    options.active ?? true,
    options.expiresAt ? options.expiresAt.toISOString() : null,
  ]);
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
