import { describe, expect, it } from 'vitest';
import { api, dbStats, env, expectError, newRequestId, signedInAdmin, signedInUser, sql, sqlBatch, type ApiResponse } from '../harness';

describe('audit trail', () => {
  it('pages newest first with a keyset cursor: every row exactly once while rows are inserted', async () => {
    const { session } = await signedInAdmin();
    const entityType = `test_entity_${crypto.randomUUID().slice(0, 8)}`;
    await sql(`insert into audit_logs (entity_type, entity_id, action, created_at) select $1, i::text, 'create', now() - (i || ' seconds')::interval from generate_series(1, 25) i`, [entityType]);
    await sql(`insert into audit_logs (entity_type, entity_id, action, created_at) select $1, 'same-' || i, 'create', '2026-01-01T00:00:00Z' from generate_series(1, 5) i`, [entityType]);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: ApiResponse = await api(`/api/audit-logs?entityType=${entityType}&limit=7${cursor ? `&cursor=${cursor}` : ''}`, { token: session.accessToken });
      expect(res.status).toBe(200);
      expect(await dbStats(res.requestId)).toEqual({ roundTrips: 1, statements: 1 });
      seen.push(...res.body.data.map((r: any) => r.id));
      cursor = (res.body.meta.pagination?.nextCursor as string | null) ?? null;
      await sql(`insert into audit_logs (entity_type, entity_id, action, created_at) values ($1, 'inserted-during-paging', 'create', now())`, [entityType]);
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toHaveLength(30);
    expect(new Set(seen).size).toBe(30);
    expectError(await api('/api/audit-logs?cursor=garbage', { token: session.accessToken }), 400, 'VALIDATION_ERROR');
  });

  it('answers deep keyset pages from the (created_at, id) index (EXPLAIN of the statement the Worker sent)', async () => {
    const { session } = await signedInAdmin();
    // The admin's registration and sign-in wrote two rows at least: a first page of one has a next one.
    const first = await api('/api/audit-logs?limit=1', { token: session.accessToken });
    const cursor = first.body.meta.pagination?.nextCursor as string;
    expect(cursor).toEqual(expect.any(String));
    // The local endpoint keeps what this one request sends (SQL text and parameters, as sent).
    const requestId = newRequestId('explain');
    expect((await fetch(`${env.TEST_DB_BASE_URL}/__capture`, { method: 'POST', body: JSON.stringify({ requestId }) })).status).toBe(200);
    const page = await api(`/api/audit-logs?limit=50&cursor=${cursor}`, { token: session.accessToken, requestId });
    expect(page.status).toBe(200);
    const { queries } = (await (await fetch(`${env.TEST_DB_BASE_URL}/__captured?requestId=${requestId}`)).json()) as { queries: { query: string; params: unknown[] }[] };
    expect(queries).toHaveLength(1);
    const [sent] = queries;
    // The test table is small, so the planner would rather scan and sort: those plans are switched
    // off to show the one it uses on a large table (the benchmark explains it on a million rows).
    const plan = await sqlBatch([
      { query: 'set local enable_seqscan = off' },
      { query: 'set local enable_bitmapscan = off' },
      { query: 'set local enable_sort = off' },
      { query: `explain ${sent!.query}`, params: sent!.params },
    ]);
    const text = plan.map((r) => Object.values(r)[0]).join('\n');
    expect(text).toMatch(/Index (Only )?Scan Backward using audit_logs_created_at_id_idx/);
    expect(text).toMatch(/Index Cond: \(ROW\(created_at, id\) < ROW/);
    expect(text).not.toMatch(/Sort/);
  });

  it('filters by user and action; users read their own trail', async () => {
    const { session: admin } = await signedInAdmin();
    const { user, session } = await signedInUser();
    const res = await api(`/api/audit-logs?userId=${user.id}&action=login`, { token: admin.accessToken });
    expect(res.body.data).toHaveLength(1);
    expect(res.body.data[0]).toMatchObject({ userId: user.id, action: 'login', entityType: 'user' });
    const mine = await api('/api/users/me/activity', { token: session.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.data.every((r: any) => r.userId === user.id)).toBe(true);
    expect(mine.body.data.map((r: any) => r.action)).toEqual(['login', 'create']);
    expectError(await api('/api/audit-logs', { token: session.accessToken }), 403, 'FORBIDDEN');
  });

  it('lists and resolves security events', async () => {
    const { user: adminUser, session: admin } = await signedInAdmin();
    const { user } = await signedInUser();
    await api('/api/auth/login', { method: 'POST', body: { email: user.email, password: 'wrong-password' } });
    const res = await api(`/api/security-events?userId=${user.id}&resolved=false`, { token: admin.accessToken });
    expect(res.body.data).toHaveLength(1);
    const event = res.body.data[0];
    expect(event).toMatchObject({ eventType: 'failed_login', severity: 'low', resolved: false });
    const resolved = await api(`/api/security-events/${event.id}/resolve`, { method: 'POST', token: admin.accessToken, body: { note: 'user typo' } });
    expect(resolved.body.data).toMatchObject({ resolved: true, resolvedBy: adminUser.id });
    expect((await api(`/api/security-events?userId=${user.id}&resolved=false`, { token: admin.accessToken })).body.data).toHaveLength(0);
    expectError(await api(`/api/security-events/${crypto.randomUUID()}/resolve`, { method: 'POST', token: admin.accessToken }), 404, 'NOT_FOUND');
  });
});
