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

    // Later runs do not send it again.
    await runCron(minutes(at, 2));
    await new Promise((r) => setTimeout(r, 1500));
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

    await runCron(new Date('2001-02-05T23:59:00.000Z'));
    await runCron(new Date('2001-02-05T23:59:59.000Z'));
    await new Promise((r) => setTimeout(r, 1000));
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
