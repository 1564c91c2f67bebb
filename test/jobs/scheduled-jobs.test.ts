import { afterEach, describe, expect, it, vi } from 'vitest';
import { outbox } from '../account-security/helpers';
import { api, env, signedInAdmin, signedInUser, sql, type TestUser } from '../harness';
import { capturingQueue, emailState, minutes, recordedRuns, runCron, runQueue, runsDuring, runStats } from './helpers';

/*
 * The cron jobs and the email consumer, driven through the Worker's `scheduled` and `queue`
 * handlers. A cron claims every row that is due at its clock, so this file keeps every cron-driven
 * test: its tests run one after the other, with clocks that only move forward (2001 onwards, far
 * before any other test's data, which the jobs therefore never touch).
 */

const EMAIL_QUEUE = 'aegisx-email';
const PROVIDER = 'https://mail-provider.test/emails';

type Admin = Awaited<ReturnType<typeof signedInAdmin>>;

const notify = (admin: Admin, user: TestUser, now: Date, body: Record<string, unknown> = {}) =>
  api('/api/notifications', {
    method: 'POST',
    token: admin.session.accessToken,
    now,
    body: { userId: user.id, type: 'system', title: 'Maintenance tonight', message: 'The platform is read-only from 22:00.', actionUrl: '/status', ...body },
  });

async function notified(admin: Admin, user: TestUser, now: Date, body: Record<string, unknown> = {}) {
  const res = await notify(admin, user, now, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.data.notifications[0] as { id: string; delivery: { email: { status: string; scheduledAt: string | null } } };
}

const setPreferences = async (token: string, preferences: Record<string, unknown>[]) =>
  expect((await api('/api/notifications/preferences', { method: 'PUT', token, body: { preferences } })).status).toBe(200);

/** The email provider of the `http` transport, answered by `reply` (every other fetch goes through). */
function provider(reply: (body: any) => Response) {
  const original = globalThis.fetch;
  const calls: any[] = [];
  vi.spyOn(globalThis, 'fetch').mockImplementation(async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url !== PROVIDER) return original(input, init);
    const body = JSON.parse(String(init?.body));
    calls.push(body);
    return reply(body);
  });
  return calls;
}
const httpTransport = { EMAIL_TRANSPORT: 'http', EMAIL_API_URL: PROVIDER, EMAIL_API_KEY: 'test-key' };

afterEach(() => vi.restoreAllMocks());

describe('notification emails', () => {
  it('emails an immediate notification once, even when two runs overlap', async () => {
    const admin = await signedInAdmin();
    const { user } = await signedInUser();
    const at = new Date('2001-02-03T10:00:00.000Z');
    const n = await notified(admin, user, at);
    expect(n.delivery.email).toEqual({ status: 'pending', scheduledAt: at.toISOString(), sentAt: null });

    // A run before the notification's time leaves it alone.
    await runCron(minutes(at, -1));
    expect((await emailState(n.id)).email_status).toBe('pending');

    await Promise.all([runCron(minutes(at, 1)), runCron(minutes(at, 1))]);
    await expect.poll(async () => (await emailState(n.id)).email_status, { timeout: 10_000, interval: 100 }).toBe('sent');
    expect((await emailState(n.id)).email_sent_at).not.toBeNull();
    const [mail, ...others] = await outbox(user.email, 'notification');
    expect(others).toHaveLength(0);
    expect(mail!.subject).toBe('AegisX: Maintenance tonight');
    expect(mail!.text).toContain('The platform is read-only from 22:00.');
    expect(mail!.links).toEqual(expect.arrayContaining(['https://app.aegisx.test/status', 'https://app.aegisx.test/settings/notifications']));

    // Later runs do not queue it again (their queue is captured: nothing to wait for).
    const later = capturingQueue();
    await runCron(minutes(at, 2), { EMAIL_QUEUE: later.queue });
    expect(later.sent.filter((m) => m.id === n.id)).toEqual([]);
    expect(await outbox(user.email, 'notification')).toHaveLength(1);
  });

  it('claims each due email once across overlapping runs, in one round trip per batch; the consumer reads and writes once per batch', async () => {
    const admin = await signedInAdmin();
    const { user } = await signedInUser();
    const at = new Date('2001-02-04T10:00:00.000Z');
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await notified(admin, user, at, { title: `Notice ${i}` })).id);

    const first = capturingQueue();
    const second = capturingQueue();
    const clock = minutes(at, 1);
    await Promise.all([runCron(clock, { EMAIL_QUEUE: first.queue }), runCron(clock, { EMAIL_QUEUE: second.queue })]);
    const queued = [...first.sent, ...second.sent].filter((m) => ids.includes(m.id));
    expect(queued.map((m) => m.id).sort()).toEqual([...ids].sort());
    // Each run claimed in one statement: one round trip (a batch holds up to 100 rows).
    const claims = await recordedRuns('notification-emails', clock);
    expect(claims).toHaveLength(2);
    for (const run of claims) expect(await runStats(run)).toEqual({ roundTrips: 1, statements: 1 });
    expect(claims.map((r) => r.details.queued).sort()).toEqual([first.sent.length, second.sent.length].sort());

    const { value: result, runs } = await runsDuring('email-delivery', () => runQueue(EMAIL_QUEUE, queued.map((body) => ({ body }))));
    // The consumer: one read of the batch's rows, one write of every outcome.
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ ok: true, processed: 6, failures: 0, details: { sent: 6, retried: 0, failed: 0, stale: 0 } });
    expect(await runStats(runs[0]!)).toEqual({ roundTrips: 2, statements: 2 });
    expect(result.retryMessages).toEqual([]);
    expect(result.explicitAcks).toHaveLength(6);
    for (const id of ids) expect((await emailState(id)).email_status).toBe('sent');
    expect(await outbox(user.email, 'notification')).toHaveLength(6);

    // The same messages delivered again send nothing.
    const again = await runQueue(EMAIL_QUEUE, queued.map((body) => ({ body })));
    expect(again.explicitAcks).toHaveLength(6);
    expect(await outbox(user.email, 'notification')).toHaveLength(6);
  });

  it('holds a notification created in quiet hours until the window ends, to the minute, in the user’s time zone', async () => {
    const admin = await signedInAdmin();
    const { user, session } = await signedInUser();
    await sql("update user_preferences set timezone = 'Asia/Bangkok' where user_id = $1", [user.id]);
    await setPreferences(session.accessToken, [{ type: 'system', quietHours: { start: '22:00', end: '07:00' } }]);
    // 23:00 in Bangkok (UTC+7); the window ends at 07:00 local, 00:00 UTC.
    const n = await notified(admin, user, new Date('2001-02-05T16:00:00.000Z'));
    expect(n.delivery.email).toMatchObject({ status: 'held', scheduledAt: '2001-02-06T00:00:00.000Z' });

    const early = capturingQueue();
    await runCron(new Date('2001-02-05T23:59:00.000Z'), { EMAIL_QUEUE: early.queue });
    await runCron(new Date('2001-02-05T23:59:59.000Z'), { EMAIL_QUEUE: early.queue });
    expect(early.sent.filter((m) => m.id === n.id)).toEqual([]);
    expect((await emailState(n.id)).email_status).toBe('held');
    expect(await outbox(user.email, 'notification')).toHaveLength(0);

    await runCron(new Date('2001-02-06T00:00:00.000Z'));
    await expect.poll(async () => (await emailState(n.id)).email_status, { timeout: 10_000, interval: 100 }).toBe('sent');
    expect(await outbox(user.email, 'notification')).toHaveLength(1);
  });

  it('reads the preferences again when an email is due: quiet hours added since hold it, email switched off skips it', async () => {
    const admin = await signedInAdmin();
    const { user, session } = await signedInUser();
    await sql("update user_preferences set timezone = 'Asia/Bangkok' where user_id = $1", [user.id]);
    // 21:00 local: outside any window, so pending now.
    const held = await notified(admin, user, new Date('2001-02-07T14:00:00.000Z'));
    const off = await notified(admin, user, new Date('2001-02-07T14:00:00.000Z'), { type: 'reminders-x' });
    expect(held.delivery.email.status).toBe('pending');
    await setPreferences(session.accessToken, [
      { type: 'system', quietHours: { start: '21:30', end: '07:00' } },
      { type: 'reminders-x', email: false },
    ]);
    const capture = capturingQueue();
    await runCron(new Date('2001-02-07T14:45:00.000Z'), { EMAIL_QUEUE: capture.queue });
    expect(capture.sent.filter((m) => m.id === held.id || m.id === off.id)).toEqual([]);
    expect(await emailState(held.id)).toMatchObject({ email_status: 'held' });
    expect(new Date((await emailState(held.id)).email_scheduled_at!.replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00')).toISOString()).toBe('2001-02-08T00:00:00.000Z');
    expect(await emailState(off.id)).toMatchObject({ email_status: 'skipped', email_scheduled_at: null });
  });

  it('writes in the user’s language where a translation exists', async () => {
    const admin = await signedInAdmin();
    const { user } = await signedInUser();
    await sql("update user_preferences set language = 'th' where user_id = $1", [user.id]);
    const n = await notified(admin, user, new Date('2001-02-09T10:00:00.000Z'), { title: 'ปิดปรับปรุงระบบ', message: 'ระบบจะอ่านได้อย่างเดียว' });
    const capture = capturingQueue();
    await runCron(new Date('2001-02-09T10:01:00.000Z'), { EMAIL_QUEUE: capture.queue });
    await runQueue(EMAIL_QUEUE, capture.sent.filter((m) => m.id === n.id).map((body) => ({ body })));
    const [mail] = await outbox(user.email, 'notification');
    expect(mail!.text).toContain('สวัสดี');
    expect(mail!.text).toContain('ตั้งค่าอีเมลแจ้งเตือน');
    expect(mail!.html).toContain('<html lang="th">');
  });

  it('retries a failing provider with backoff, then marks the row failed with the reason audited and dead-letters the message', async () => {
    const admin = await signedInAdmin();
    const { user } = await signedInUser();
    const n = await notified(admin, user, new Date('2001-02-10T10:00:00.000Z'));
    const capture = capturingQueue();
    await runCron(new Date('2001-02-10T10:01:00.000Z'), { EMAIL_QUEUE: capture.queue });
    const [message] = capture.sent.filter((m) => m.id === n.id);
    expect(message).toBeTruthy();

    const calls = provider(() => new Response('{"message":"provider down"}', { status: 503 }));
    const delays: (number | undefined)[] = [];
    for (let attempts = 1; attempts <= 5; attempts++) {
      const result = await runQueue(EMAIL_QUEUE, [{ body: message, attempts }], httpTransport);
      expect(result.explicitAcks).toEqual([]);
      delays.push(result.retryDelays[0]);
      expect((await emailState(n.id)).email_status).toBe('pending');
    }
    expect(delays).toEqual([30, 60, 120, 240, 480]);
    expect(calls).toHaveLength(5);

    // The sixth attempt is the last (max_retries 5): the row fails, the message goes on to the dead-letter queue.
    const last = await runQueue(EMAIL_QUEUE, [{ body: message, attempts: 6 }], httpTransport);
    expect(last.retryMessages).toHaveLength(1);
    expect(last.retryDelays).toEqual([undefined]);
    expect(await emailState(n.id)).toMatchObject({ email_status: 'failed', email_sent_at: null });
    const audit = await sql<{ action: string; source: string; reason: string; attempts: string }>(
      "select action, source, new_values->>'reason' as reason, new_values->>'attempts' as attempts from audit_logs where entity_type = 'notification' and entity_id = $1 and description = 'Notification email failed'",
      [n.id],
    );
    expect(audit).toEqual([{ action: 'update', source: 'system', reason: expect.stringContaining('503'), attempts: '6' }]);

    // The dead-letter consumer acknowledges it; the row stays failed, audited once.
    const dead = await runQueue('aegisx-dlq', [{ body: message }]);
    expect(dead.explicitAcks).toHaveLength(1);
    expect((await emailState(n.id)).email_status).toBe('failed');
    expect(await sql("select 1 from audit_logs where entity_id = $1 and description = 'Notification email failed'", [n.id])).toHaveLength(1);
    expect(calls).toHaveLength(6);
  });

  it('sends on a retry after a provider failure, with the title, message, action and preferences links', async () => {
    const admin = await signedInAdmin();
    const { user } = await signedInUser();
    const n = await notified(admin, user, new Date('2001-02-11T10:00:00.000Z'));
    const capture = capturingQueue();
    await runCron(new Date('2001-02-11T10:01:00.000Z'), { EMAIL_QUEUE: capture.queue });
    const message = capture.sent.find((m) => m.id === n.id);
    let failures = 1;
    const calls = provider(() => (failures-- > 0 ? new Response('busy', { status: 429 }) : Response.json({ id: 'email-1' })));
    expect((await runQueue(EMAIL_QUEUE, [{ body: message }], httpTransport)).retryMessages).toHaveLength(1);
    expect((await runQueue(EMAIL_QUEUE, [{ body: message, attempts: 2 }], httpTransport)).explicitAcks).toHaveLength(1);
    expect((await emailState(n.id)).email_status).toBe('sent');
    expect(calls).toHaveLength(2);
    const sent = calls[1];
    expect(sent).toMatchObject({ to: [user.email], subject: 'AegisX: Maintenance tonight' });
    expect(sent.text).toContain('The platform is read-only from 22:00.');
    expect(sent.text).toContain('https://app.aegisx.test/status');
    expect(sent.html).toContain('https://app.aegisx.test/settings/notifications');
  });

  it('an email that reaches the dead-letter queue still claimed is marked failed there', async () => {
    const admin = await signedInAdmin();
    const { user } = await signedInUser();
    const n = await notified(admin, user, new Date('2001-02-12T10:00:00.000Z'));
    const capture = capturingQueue();
    await runCron(new Date('2001-02-12T10:01:00.000Z'), { EMAIL_QUEUE: capture.queue });
    const message = capture.sent.find((m) => m.id === n.id);
    expect((await runQueue('aegisx-dlq', [{ body: message }])).explicitAcks).toHaveLength(1);
    expect((await emailState(n.id)).email_status).toBe('failed');
    const [audit] = await sql<{ reason: string }>("select new_values->>'reason' as reason from audit_logs where entity_id = $1 and description = 'Notification email failed'", [n.id]);
    expect(audit!.reason).toContain('dead-letter');
  });
});

describe('notification digests', () => {
  it('groups a daily digest by the day in the user’s time zone, sent at the configured local hour, each row once; weekly rows go in their own', async () => {
    const admin = await signedInAdmin();
    const { user, session } = await signedInUser();
    await sql("update user_preferences set timezone = 'Asia/Bangkok' where user_id = $1", [user.id]);
    await setPreferences(session.accessToken, [
      { type: 'updates', email: true, frequency: 'daily' },
      { type: 'billing', frequency: 'weekly' },
    ]);
    // Bangkok is UTC+7. Local 9 March 23:50, 10 March 00:30 and 23:30, 11 March 00:10.
    const rows = {
      ninth: await notified(admin, user, new Date('2002-03-09T16:50:00.000Z'), { type: 'updates', title: 'Ninth' }),
      tenthEarly: await notified(admin, user, new Date('2002-03-09T17:30:00.000Z'), { type: 'updates', title: 'Tenth early' }),
      tenthLate: await notified(admin, user, new Date('2002-03-10T16:30:00.000Z'), { type: 'updates', title: 'Tenth late' }),
      eleventh: await notified(admin, user, new Date('2002-03-10T17:10:00.000Z'), { type: 'updates', title: 'Eleventh' }),
      weekly: await notified(admin, user, new Date('2002-03-10T05:00:00.000Z'), { type: 'billing', title: 'Invoice' }),
    };
    for (const n of Object.values(rows)) expect(n.delivery.email).toEqual({ status: 'digest', scheduledAt: null, sentAt: null });
    const digests = () => outbox(user.email, 'notification_digest');
    const status = async (n: { id: string }) => (await emailState(n.id)).email_status;

    // 10 March 08:00 local (01:00 UTC): the 9th's digest, which in UTC would also hold "Tenth early".
    await runCron(new Date('2002-03-10T00:59:00.000Z'));
    expect(await status(rows.ninth)).toBe('digest');
    const tenthEight = new Date('2002-03-10T01:00:00.000Z');
    await runCron(tenthEight);
    await expect.poll(async () => (await digests()).length, { timeout: 10_000, interval: 100 }).toBe(1);
    const [first] = await digests();
    expect(first!.text).toContain('Ninth');
    expect(first!.text).not.toContain('Tenth');
    expect(first!.subject).toBe('Your AegisX daily digest: 1 notification');
    const [digestRun] = await recordedRuns('notification-digests', tenthEight);
    expect(digestRun).toMatchObject({ ok: true, processed: 1, details: { digests: 1, rows: 1 } });
    expect(await runStats(digestRun!)).toEqual({ roundTrips: 1, statements: 1 });

    // 11 March (a Monday) 07:59 local: nothing; 08:00: the 10th's two rows, and the weekly digest.
    const early = capturingQueue();
    await runCron(new Date('2002-03-11T00:59:00.000Z'), { EMAIL_QUEUE: early.queue });
    expect(early.sent.filter((m) => m.userId === user.id)).toEqual([]);
    expect(await digests()).toHaveLength(1);
    await runCron(new Date('2002-03-11T01:00:00.000Z'));
    await expect.poll(async () => (await digests()).length, { timeout: 10_000, interval: 100 }).toBe(3);
    const daily = (await digests()).find((m) => m.subject.includes('daily'))!;
    const weekly = (await digests()).find((m) => m.subject.includes('weekly'))!;
    expect(daily.subject).toBe('Your AegisX daily digest: 2 notifications');
    expect(daily.text.indexOf('Tenth early')).toBeGreaterThan(-1);
    expect(daily.text.indexOf('Tenth late')).toBeGreaterThan(daily.text.indexOf('Tenth early'));
    expect(daily.text).not.toContain('Eleventh');
    expect(daily.links).toEqual(expect.arrayContaining(['https://app.aegisx.test/notifications', 'https://app.aegisx.test/settings/notifications']));
    expect(weekly.text).toContain('Invoice');
    expect(weekly.subject).toBe('Your AegisX weekly digest: 1 notification');

    for (const n of [rows.ninth, rows.tenthEarly, rows.tenthLate, rows.weekly]) {
      await expect.poll(() => status(n), { timeout: 5_000, interval: 100 }).toBe('sent');
      expect((await emailState(n.id)).email_sent_at).not.toBeNull();
    }
    expect(await status(rows.eleventh)).toBe('digest');

    // Later runs that day send nothing again.
    const later = capturingQueue();
    await runCron(new Date('2002-03-11T01:01:00.000Z'), { EMAIL_QUEUE: later.queue });
    expect(later.sent.filter((m) => m.userId === user.id)).toEqual([]);
    expect(await digests()).toHaveLength(3);
  });
});

describe('retention clean-up', () => {
  const at = (iso: string) => new Date(iso).toISOString();
  const exists = async (table: string, id: string) => (await sql(`select 1 from ${table} where id = $1`, [id])).length === 1;

  async function session(userId: string, values: { expires: string; revoked?: string; absolute?: string }) {
    const [row] = await sql<{ id: string }>(
      'insert into user_sessions (user_id, refresh_token, expires_at, revoked_at, absolute_expires_at, created_at) values ($1, $2, $3, $4, $5, $6) returning id',
      [userId, crypto.randomUUID(), at(values.expires), values.revoked ? at(values.revoked) : null, values.absolute ? at(values.absolute) : null, at('2011-01-01T00:00:00Z')],
    );
    return row!.id;
  }
  const activity = async (sessionId: string, created: string) =>
    (await sql<{ id: string }>("insert into session_activity (session_id, activity_type, resource, created_at) values ($1, 'api_call', '/x', $2) returning id", [sessionId, at(created)]))[0]!.id;
  const verification = async (userId: string, expires: string, used?: string) =>
    (
      await sql<{ id: string }>(
        'insert into email_verification_tokens (user_id, token, email, expires_at, used, used_at) values ($1, $2, $3, $4, $5, $6) returning id',
        [userId, crypto.randomUUID(), 'someone@example.test', at(expires), Boolean(used), used ? at(used) : null],
      )
    )[0]!.id;
  const reset = async (userId: string, expires: string, used?: string) =>
    (
      await sql<{ id: string }>('insert into password_reset_tokens (user_id, token, expires_at, used, used_at) values ($1, $2, $3, $4, $5) returning id', [
        userId,
        crypto.randomUUID(),
        at(expires),
        Boolean(used),
        used ? at(used) : null,
      ])
    )[0]!.id;
  const notification = async (userId: string, expires: string | null) =>
    (
      await sql<{ id: string }>("insert into notifications (user_id, type, title, message, expires_at, created_at, updated_at) values ($1, 'system', 't', 'm', $2, $3, $3) returning id", [
        userId,
        expires ? at(expires) : null,
        at('2011-01-01T00:00:00Z'),
      ])
    )[0]!.id;
  const securityEvent = async (userId: string, created: string, resolved?: string) =>
    (
      await sql<{ id: string }>(
        "insert into session_security_events (user_id, event_type, severity, description, resolved, resolved_at, created_at, updated_at) values ($1, 'test', 'low', 'd', $2, $3, $4, $4) returning id",
        [userId, Boolean(resolved), resolved ? at(resolved) : null, at(created)],
      )
    )[0]!.id;
  const audit = async (created: string) =>
    (await sql<{ id: string }>("insert into audit_logs (entity_type, action, description, created_at) values ('test', 'read', 'old', $1) returning id", [at(created)]))[0]!.id;

  it('removes exactly the rows past their retention, logs the counts in one audit row, one round trip per batch', async () => {
    const { user } = await signedInUser();
    // The run's clock: 1 June 2012, 00:00 UTC. Defaults: sessions 30 days after they ended, tokens 7,
    // expired notifications at once, activity 90 days, resolved security events 365; audit kept.
    const clock = new Date('2012-06-01T00:00:00.000Z');
    const live = await session(user.id, { expires: '2012-07-01T00:00:00Z' });
    const ids = {
      gone: {
        revokedLongAgo: await session(user.id, { expires: '2012-07-01T00:00:00Z', revoked: '2012-04-01T00:00:00Z' }),
        expiredLongAgo: await session(user.id, { expires: '2012-04-15T00:00:00Z' }),
        pastAbsolute: await session(user.id, { expires: '2012-07-01T00:00:00Z', absolute: '2012-04-20T00:00:00Z' }),
        oldActivity: await activity(live, '2012-03-01T00:00:00Z'),
        usedVerification: await verification(user.id, '2012-06-10T00:00:00Z', '2012-05-20T00:00:00Z'),
        expiredVerification: await verification(user.id, '2012-05-20T00:00:00Z'),
        expiredReset: await reset(user.id, '2012-05-24T23:59:00Z'),
        expiredNotification: await notification(user.id, '2012-05-31T23:59:00Z'),
        oldResolvedEvent: await securityEvent(user.id, '2011-01-01T00:00:00Z', '2011-05-31T00:00:00Z'),
      },
      kept: {
        revokedRecently: await session(user.id, { expires: '2012-07-01T00:00:00Z', revoked: '2012-05-10T00:00:00Z' }),
        live,
        recentActivity: await activity(live, '2012-03-05T00:00:00Z'),
        recentlyUsedVerification: await verification(user.id, '2012-06-10T00:00:00Z', '2012-05-26T00:00:00Z'),
        validVerification: await verification(user.id, '2012-06-02T00:00:00Z'),
        recentlyExpiredReset: await reset(user.id, '2012-05-25T00:01:00Z'),
        futureNotification: await notification(user.id, '2012-06-01T00:01:00Z'),
        notificationWithoutExpiry: await notification(user.id, null),
        recentResolvedEvent: await securityEvent(user.id, '2011-01-01T00:00:00Z', '2011-06-02T00:00:00Z'),
        unresolvedEvent: await securityEvent(user.id, '2010-01-01T00:00:00Z'),
        oldAudit: await audit('2005-01-01T00:00:00Z'),
      },
    };
    // Activity of a removed session goes with it.
    const cascaded = await activity(ids.gone.revokedLongAgo, '2012-05-30T00:00:00Z');
    const tables: Record<string, string> = {
      revokedLongAgo: 'user_sessions', expiredLongAgo: 'user_sessions', pastAbsolute: 'user_sessions', revokedRecently: 'user_sessions', live: 'user_sessions',
      oldActivity: 'session_activity', recentActivity: 'session_activity',
      usedVerification: 'email_verification_tokens', expiredVerification: 'email_verification_tokens', recentlyUsedVerification: 'email_verification_tokens', validVerification: 'email_verification_tokens',
      expiredReset: 'password_reset_tokens', recentlyExpiredReset: 'password_reset_tokens',
      expiredNotification: 'notifications', futureNotification: 'notifications', notificationWithoutExpiry: 'notifications',
      oldResolvedEvent: 'session_security_events', recentResolvedEvent: 'session_security_events', unresolvedEvent: 'session_security_events',
      oldAudit: 'audit_logs',
    };

    await runCron(clock);
    for (const [name, id] of Object.entries(ids.gone)) expect(await exists(tables[name]!, id), name).toBe(false);
    for (const [name, id] of Object.entries(ids.kept)) expect(await exists(tables[name]!, id), name).toBe(true);
    expect(await exists('session_activity', cascaded)).toBe(false);

    const [run] = await recordedRuns('retention', clock);
    expect(run!.ok).toBe(true);
    expect(run!.details).toMatchObject({ batches: 1, auditLogs: 0 });
    expect(run!.details.sessions).toBeGreaterThanOrEqual(3);
    expect(await runStats(run!)).toEqual({ roundTrips: 1, statements: 1 });
    const [logged] = await sql<{ source: string; removed: Record<string, number> }>(
      "select source, new_values as removed from audit_logs where entity_type = 'retention' and metadata->>'requestId' = $1",
      [`job:retention:${run!.runId}`],
    );
    expect(logged!.source).toBe('system');
    expect(typeof logged!.removed === 'string' ? JSON.parse(logged!.removed) : logged!.removed).toMatchObject({ sessions: run!.details.sessions, notifications: run!.details.notifications });

    // Audit rows go only when a retention is configured for them.
    await runCron(new Date('2012-06-01T01:00:00.000Z'), { RETENTION_AUDIT_DAYS: '365' });
    expect(await exists('audit_logs', ids.kept.oldAudit)).toBe(false);
    expect(await exists('user_sessions', ids.kept.revokedRecently)).toBe(true);
  });

  it('removes a backlog in bounded batches, the rest in the next run', async () => {
    const { user } = await signedInUser();
    const live = await session(user.id, { expires: '2013-01-01T00:00:00Z' });
    for (let i = 0; i < 5; i++) await activity(live, '2012-01-01T00:00:00Z');
    const left = async () => Number((await sql<{ n: string }>('select count(*) as n from session_activity where session_id = $1', [live]))[0]!.n);
    const bounded = { RETENTION_BATCH_SIZE: '2', RETENTION_MAX_BATCHES: '2' };

    const first = new Date('2012-06-02T00:00:00.000Z');
    await runCron(first, bounded);
    expect(await left()).toBe(1);
    const [run] = await recordedRuns('retention', first);
    expect(run!.details).toMatchObject({ batches: 2, sessionActivity: 4 });
    expect(await runStats(run!)).toEqual({ roundTrips: 2, statements: 2 });

    // Within the same hour retention is not due again; the next hour's run removes the rest.
    await runCron(new Date('2012-06-02T00:30:00.000Z'), bounded);
    expect(await left()).toBe(1);
    await runCron(new Date('2012-06-02T01:00:00.000Z'), bounded);
    expect(await left()).toBe(0);
  });
});

describe('GET /api/admin/jobs', () => {
  it('shows every job’s last run, rows processed and failures to holders of system:monitor', async () => {
    const clock = new Date('2013-01-01T00:00:00.000Z');
    await runCron(clock);
    const admin = await signedInAdmin();
    const res = await api('/api/admin/jobs?limit=50', { token: admin.session.accessToken });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const jobs = Object.fromEntries((res.body.data.jobs as any[]).map((j) => [j.name, j]));
    expect(Object.keys(jobs).sort()).toEqual(['activity-writes', 'dead-letters', 'email-delivery', 'notification-digests', 'notification-emails', 'retention']);
    expect(jobs.retention).toMatchObject({ kind: 'cron', everyMinutes: 60 });
    expect(jobs['email-delivery']).toMatchObject({ kind: 'queue', everyMinutes: null });
    const run = jobs.retention.runs.find((r: any) => r.clock === clock.toISOString());
    expect(run).toMatchObject({ ok: true, failures: 0, details: { batches: 1 } });
    expect(jobs['notification-emails'].lastRun).not.toBeNull();
    // Earlier tests made the provider fail: the consumer's failures are counted.
    expect(jobs['email-delivery'].failures).toBeGreaterThan(0);

    const { session } = await signedInUser();
    const denied = await api('/api/admin/jobs', { token: session.accessToken });
    expect(denied.status).toBe(403);
    expect((await api('/api/admin/jobs?limit=0', { token: admin.session.accessToken })).status).toBe(400);
  });
});
