import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { neon, neonConfig, type NeonQueryFunction, type UnsafeRawSql } from '@neondatabase/serverless';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/neon-http';
import { pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startLocalDb, type LocalDb } from '../scripts/local-db/server';

const backends = [
  { backend: 'pglite', databaseUrl: undefined },
  ...(process.env.TEST_DATABASE_URL ? [{ backend: 'postgres', databaseUrl: process.env.TEST_DATABASE_URL }] : []),
];

const rawText = { getTypeParser: () => (value: string) => value };

describe.each(backends)('local Neon endpoint on $backend', ({ backend, databaseUrl }) => {
  const table = `local_db_test_${randomUUID().slice(0, 8)}`;
  const items = pgTable(table, {
    id: serial('id').primaryKey(),
    email: text('email').notNull().unique(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  });
  let db: LocalDb;
  let sql: NeonQueryFunction<false, false>;
  let tbl: UnsafeRawSql;
  const neonFor = (requestId: string) => neon(`${db.connectionString}?application_name=aegisx:${requestId}`);
  const control = (path: string, init?: { method: string; body?: unknown }) =>
    fetch(`${db.baseUrl}${path}`, { method: init?.method, body: JSON.stringify(init?.body) });
  const count = async (email: string) =>
    (await sql.query(`select count(*)::int as n from ${table} where email = $1`, [email]))[0]?.n;

  beforeAll(async () => {
    db = await startLocalDb({ databaseUrl });
    sql = neon(db.connectionString);
    tbl = sql.unsafe(table);
    await db.pool.query(
      `create table ${table} (id serial primary key, email text not null unique,
        created_at timestamptz not null default now())`,
    );
  }, 30_000);

  beforeEach(() => {
    neonConfig.fetchEndpoint = db.endpoint;
    db.setFault(null);
    db.setDelay(0);
    db.resetStats();
  });

  afterAll(async () => {
    await db.pool.query(`drop table if exists ${table}`);
    await db.stop();
  });

  it('answers health checks', async () => {
    const res = await control('/__health');
    expect(await res.json()).toEqual({ ok: true, backend });
  });

  describe('values', () => {
    const query = `select 42::int4 as int, 'héllo'::text as text, true as bool,
      '2024-01-02 03:04:05.678+02'::timestamptz as ts, '{"a": [1, "x"]}'::jsonb as json,
      'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid as id, 12.50::numeric as num,
      array['a', 'b,c', null, 'd"e']::text[] as tags, null::text as nothing`;

    it('sends Postgres text output with its types, in UTC', async () => {
      const result = await sql.query(query, [], { fullResults: true, arrayMode: true, types: rawText });
      expect(result.command).toBe('SELECT');
      expect(result.rowCount).toBe(1);
      expect(result.fields.map(({ name, dataTypeID }) => [name, dataTypeID])).toEqual([
        ['int', 23], ['text', 25], ['bool', 16], ['ts', 1184], ['json', 3802], ['id', 2950],
        ['num', 1700], ['tags', 1009], ['nothing', 25],
      ]);
      expect(result.rows).toEqual([[
        '42', 'héllo', 't', '2024-01-02 01:04:05.678+00', '{"a": [1, "x"]}',
        'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '12.50', '{a,"b,c",NULL,"d\\"e"}', null,
      ]]);
    });

    it('parses into the values the Neon client gives', async () => {
      // ts is checked as text above: drizzle's neon-http driver swaps the client's timestamp parser globally.
      const [row] = await sql.query(query);
      expect(row).toEqual({
        ts: expect.anything(),
        int: 42, text: 'héllo', bool: true, json: { a: [1, 'x'] },
        id: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', num: '12.50', tags: ['a', 'b,c', null, 'd"e'], nothing: null,
      });
    });
  });

  it('inserts with parameters', async () => {
    const result = await sql.query(
      `insert into ${table} (email) values ($1), ($2) returning email`,
      ['param-1@x.test', 'param-2@x.test'],
      { fullResults: true },
    );
    expect(result).toMatchObject({ command: 'INSERT', rowCount: 2 });
    expect(result.rows).toEqual([{ email: 'param-1@x.test' }, { email: 'param-2@x.test' }]);
    expect(await sql`select email from ${tbl} where email = ${'param-2@x.test'}`)
      .toEqual([{ email: 'param-2@x.test' }]);
  });

  describe('transactions', () => {
    it('commits a batch', async () => {
      const [, , selected] = await sql.transaction([
        sql`insert into ${tbl} (email) values (${'tx-1@x.test'})`,
        sql`insert into ${tbl} (email) values (${'tx-2@x.test'})`,
        sql`select count(*)::int as n from ${tbl} where email like 'tx-%'`,
      ]);
      expect(selected).toEqual([{ n: 2 }]);
    });

    it('rolls a batch back entirely and reports the failing statement', async () => {
      await sql`insert into ${tbl} (email) values (${'taken@x.test'})`;
      const batch = sql.transaction([
        sql`insert into ${tbl} (email) values (${'rolled-back@x.test'})`,
        sql`insert into ${tbl} (email) values (${'taken@x.test'})`,
      ]);
      await expect(batch).rejects.toMatchObject({
        name: 'NeonDbError',
        code: '23505',
        constraint: `${table}_email_key`,
        table,
        detail: 'Key (email)=(taken@x.test) already exists.',
      });
      expect(await count('rolled-back@x.test')).toBe(0);
    });

    it('applies the isolation level, read-only and deferrable options', async () => {
      const [settings] = await sql.transaction(
        [sql`select current_setting('transaction_isolation') as isolation,
          current_setting('transaction_read_only') as read_only,
          current_setting('transaction_deferrable') as deferrable`],
        { isolationLevel: 'Serializable', readOnly: true, deferrable: true },
      );
      expect(settings).toEqual([{ isolation: 'serializable', read_only: 'on', deferrable: 'on' }]);
      const write = sql.transaction([sql`insert into ${tbl} (email) values ('ro@x.test')`], { readOnly: true });
      await expect(write).rejects.toMatchObject({ code: '25006' });
    });

    it('keeps concurrent requests out of a running batch', async () => {
      const failed = sql.transaction([
        sql`insert into ${tbl} (email) values (${'in-flight@x.test'})`,
        sql`select pg_sleep(0.3)`,
        sql`select 1/0`,
      ]).catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const seen = await Promise.all([1, 2, 3].map(() => count('in-flight@x.test')));
      expect(await failed).toMatchObject({ code: '22012' });
      expect(seen).toEqual([0, 0, 0]);
    });
  });

  describe('rejections', () => {
    it('rejects a string holding several statements, as Neon does', async () => {
      await expect(sql.query('select 1; select 2')).rejects.toMatchObject({ name: 'NeonDbError', code: '42601' });
      expect(await sql`select 1 as still_up`).toEqual([{ still_up: 1 }]);
    });

    it('answers a malformed body with 400 and a message', async () => {
      for (const body of ['not json', '{"query": 1}', '{"queries": {}}', '{"query": "select 1", "params": 1}']) {
        const res = await fetch(db.endpoint, { method: 'POST', body });
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ message: expect.any(String) });
      }
      const res = await fetch(db.endpoint, {
        method: 'POST',
        headers: { 'Neon-Batch-Isolation-Level': 'Chaos' },
        body: JSON.stringify({ queries: [{ query: 'select 1', params: [] }] }),
      });
      expect(res.status).toBe(400);
    });
  });

  describe('counters', () => {
    it('counts round trips and statements per application_name request id', async () => {
      const reqA = neonFor('req-a');
      await reqA`select 1`;
      await reqA.transaction([reqA`select 1`, reqA`select 2`]);
      await sql`select 1`;
      expect(db.stats('req-a')).toEqual({ roundTrips: 2, statements: 3 });
      expect(db.stats('')).toEqual({ roundTrips: 1, statements: 1 });
      expect(db.stats('never-seen')).toEqual({ roundTrips: 0, statements: 0 });
      expect(await (await control('/__stats?requestId=req-a')).json()).toEqual({ roundTrips: 2, statements: 3 });
      expect(await (await control('/__stats')).json()).toEqual({
        'req-a': { roundTrips: 2, statements: 3 },
        '': { roundTrips: 1, statements: 1 },
      });
      expect((await control('/__stats', { method: 'DELETE' })).status).toBe(200);
      expect(db.stats('req-a')).toEqual({ roundTrips: 0, statements: 0 });
    });

    it('captures the statements of one request id when asked, as sent, once', async () => {
      expect((await control('/__capture', { method: 'POST', body: { requestId: 'req-c' } })).status).toBe(200);
      const reqC = neonFor('req-c');
      await reqC`select ${1}::int as one`;
      await reqC.transaction([reqC`select 2`, reqC`select ${'x'}::text`]);
      await neonFor('req-other')`select 3`;
      const captured = (await (await control('/__captured?requestId=req-c')).json()) as { queries: { query: string; params: unknown[] }[] };
      expect(captured.queries.map((q) => q.query)).toEqual(['select $1::int as one', 'select 2', 'select $1::text']);
      // Parameters as the Neon client sent them (text).
      expect(captured.queries.map((q) => q.params)).toEqual([['1'], [], ['x']]);
      // Read once; a request id nobody asked to capture has nothing.
      expect((await control('/__captured?requestId=req-c')).status).toBe(400);
      expect((await control('/__captured?requestId=req-other')).status).toBe(400);
      expect((await control('/__capture', { method: 'POST', body: {} })).status).toBe(400);
    });
  });

  describe('faults and delay', () => {
    it('drops the connection while down and answers 500 in error500 mode', async () => {
      expect((await control('/__fault', { method: 'POST', body: { mode: 'down' } })).status).toBe(200);
      await expect(sql`select 1`).rejects.toThrow(/Error connecting to database/);
      expect((await control('/__health')).status).toBe(200);

      db.setFault('error500');
      await expect(sql`select 1`).rejects.toThrow(/Server error \(HTTP status 500\)/);

      await control('/__fault', { method: 'POST', body: { mode: null } });
      expect(await sql`select 1 as up`).toEqual([{ up: 1 }]);
      expect((await control('/__fault', { method: 'POST', body: { mode: 'flaky' } })).status).toBe(400);
    });

    it('crashes a batch after its first statement: nothing is written, single queries still run', async () => {
      const lastId = async () => (await sql.query(`select max(id)::int as id from ${table}`))[0]?.id as number;
      await sql`insert into ${tbl} (email) values (${'before-crash@x.test'})`;
      const before = await lastId();
      expect((await control('/__fault', { method: 'POST', body: { mode: 'crash-mid-batch' } })).status).toBe(200);
      const batch = sql.transaction([
        sql`insert into ${tbl} (email) values (${'crash-1@x.test'})`,
        sql`insert into ${tbl} (email) values (${'crash-2@x.test'})`,
      ]);
      await expect(batch).rejects.toThrow(/Error connecting to database/);
      const single = sql.transaction([sql`insert into ${tbl} (email) values (${'crash-single@x.test'})`]);
      await expect(single).rejects.toThrow(/Error connecting to database/);
      expect(await sql`select 1 as still_up`).toEqual([{ still_up: 1 }]);
      expect(db.stats('')).toEqual({ roundTrips: 5, statements: 6 });

      db.setFault(null);
      await sql`insert into ${tbl} (email) values (${'after-crash@x.test'})`;
      // The first statement of each batch ran (its serial value is gone), and was rolled back.
      expect(await lastId()).toBe(before + 3);
      for (const email of ['crash-1@x.test', 'crash-2@x.test', 'crash-single@x.test']) expect(await count(email)).toBe(0);

      const scoped = neonFor('crash-scoped');
      await control('/__fault', { method: 'POST', body: { mode: 'crash-mid-batch', requestId: 'crash-scoped' } });
      await expect(scoped.transaction([scoped`insert into ${tbl} (email) values (${'crash-scoped@x.test'})`])).rejects.toThrow(/Error connecting/);
      await sql.transaction([sql`insert into ${tbl} (email) values (${'unscoped@x.test'})`]);
      await control('/__fault', { method: 'POST', body: { mode: null, requestId: 'crash-scoped' } });
      expect([await count('crash-scoped@x.test'), await count('unscoped@x.test')]).toEqual([0, 1]);
    });

    it('delays every round trip', async () => {
      expect((await control('/__delay', { method: 'POST', body: { ms: 150 } })).status).toBe(200);
      const started = performance.now();
      await sql`select 1`;
      expect(performance.now() - started).toBeGreaterThanOrEqual(145);
      expect((await control('/__delay', { method: 'POST', body: { ms: -1 } })).status).toBe(400);
    });
  });

  describe('output headers, as Neon reads them', () => {
    const post = async (body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(db.endpoint, {
        method: 'POST',
        headers: { 'Neon-Connection-String': db.connectionString, ...headers },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as any };
    };
    const typed = `select 42::int4 as int, 7::int2 as small, 9007199254740993::int8 as big, 12.50::numeric as num,
      1.5::float8 as float, 'NaN'::float8 as nan, '-Infinity'::float4 as neg_inf, true as yes, 'héllo'::text as text,
      '{"a": [1, "x"]}'::jsonb as json, array['a', 'b,c', null, 'd"e', ' s ']::text[] as tags,
      '{{1,2},{3,4}}'::int4[] as matrix, array['{"k": 1}'::jsonb, null] as docs, '{}'::int4[] as empty,
      '[0:1]={t,f}'::bool[] as bounded, '2024-01-02 03:04:05.678+02'::timestamptz as ts, null::int4 as nothing`;
    const parsed = {
      int: 42, small: 7, big: '9007199254740993', num: '12.50', float: 1.5, nan: 'NaN', neg_inf: '-Infinity', yes: true,
      text: 'héllo', json: { a: [1, 'x'] }, tags: ['a', 'b,c', null, 'd"e', ' s '], matrix: [[1, 2], [3, 4]],
      docs: [{ k: 1 }, null], empty: [], bounded: [true, false], ts: '2024-01-02 01:04:05.678+00', nothing: null,
    };

    it('answers objects keyed by field name, values converted by type, when the headers are absent', async () => {
      const { status, body } = await post({ query: typed, params: [] });
      expect(status).toBe(200);
      expect(body).toMatchObject({ command: 'SELECT', rowCount: 1, rowAsArray: false });
      expect(body.rows).toEqual([parsed]);
    });

    it('answers text values in arrays only for "true", and lets a statement choose its own array mode', async () => {
      const raw = await post({ query: 'select 1::int4 as n, true as b, $1::text as s', params: ['x'] }, { 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true' });
      expect(raw.body).toMatchObject({ rowAsArray: true, rows: [['1', 't', 'x']] });
      const rawObjects = await post({ query: 'select 1::int4 as n, true as b', params: [] }, { 'Neon-Raw-Text-Output': 'true' });
      expect(rawObjects.body.rows).toEqual([{ n: '1', b: 't' }]);
      const parsedArrays = await post({ query: 'select 1::int4 as n, true as b', params: [] }, { 'Neon-Array-Mode': 'true' });
      expect(parsedArrays.body.rows).toEqual([[1, true]]);
      // Neon compares with "true" exactly: anything else is false.
      const notTrue = await post({ query: 'select 1::int4 as n', params: [] }, { 'Neon-Raw-Text-Output': 'TRUE', 'Neon-Array-Mode': '1' });
      expect(notTrue.body).toMatchObject({ rowAsArray: false, rows: [{ n: 1 }] });
      const batch = await post(
        { queries: [{ query: 'select 1::int4 as n', params: [] }, { query: 'select 2::int4 as n', params: [], arrayMode: true }] },
        { 'Neon-Array-Mode': 'false' },
      );
      expect(batch.body.results.map((r: any) => [r.rowAsArray, r.rows])).toEqual([[false, [{ n: 1 }]], [true, [[2]]]]);
    });
  });

  describe('response size limit', () => {
    const mib = 1024 * 1024;
    it("answers 507 past Neon's 10 MiB of rows, and rolls a batch back", async () => {
      const under = await sql.query(`select repeat('x', ${mib}) as chunk from generate_series(1, 9)`);
      expect(under).toHaveLength(9);
      const res = await fetch(db.endpoint, {
        method: 'POST',
        headers: { 'Neon-Connection-String': db.connectionString, 'Neon-Raw-Text-Output': 'true', 'Neon-Array-Mode': 'true' },
        body: JSON.stringify({ query: `select repeat('x', ${mib}) as chunk from generate_series(1, 11)`, params: [] }),
      });
      expect(res.status).toBe(507);
      expect(await res.json()).toEqual({ message: `response is too large (max is ${10 * mib} bytes)` });
      const batch = sql.transaction([
        sql`insert into ${tbl} (email) values (${'too-large@x.test'})`,
        sql`select repeat('x', ${mib}) as chunk from generate_series(1, 11)`,
      ]);
      await expect(batch).rejects.toThrow(/Server error \(HTTP status 507\): .*response is too large/);
      expect(await count('too-large@x.test')).toBe(0);
    });
  });

  describe('connection reset between requests, as Neon pools connections', () => {
    const probe = async () => (await sql`select pg_backend_pid() as pid, current_setting('TimeZone') as tz,
      now()::text as transaction_start, to_regclass('pg_temp.leaked') is null as no_temp,
      (select count(*)::int from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()) as advisory,
      (select count(*)::int from pg_prepared_statements) as prepared`)[0];

    it('leaves no session state behind: time zone, temp tables, advisory locks, prepared statements, open transactions', async () => {
      const clean = { tz: 'UTC', no_temp: true, advisory: 0, prepared: 0 };
      const leaks = [
        sql`set time zone 'America/New_York'`,
        sql`create temp table leaked (x int)`,
        sql`select pg_advisory_lock(4242)`,
        sql`prepare leaked_plan as select 1`,
        sql`begin`,
      ];
      for (const leak of leaks) {
        const [before] = await sql`select pg_backend_pid() as pid`;
        await leak;
        const after = await probe();
        // The same pooled connection served both requests (the pool reuses the last one released).
        expect(after?.pid).toBe(before?.pid);
        expect(after).toMatchObject(clean);
        // Each request is its own transaction: a leaked BEGIN would give both probes one start time.
        expect((await probe())?.transaction_start).not.toBe(after?.transaction_start);
      }
    });

    it('keeps UTC on timestamps after a request changed the time zone', async () => {
      await sql`set time zone 'Asia/Tokyo'`;
      const [row] = await sql.query(`select '2024-06-01 12:00:00+00'::timestamptz::text as ts`);
      expect(row).toEqual({ ts: '2024-06-01 12:00:00+00' });
    });
  });

  describe('a caller that goes away', () => {
    const send = (body: unknown, signal: AbortSignal, requestId = 'gone') =>
      fetch(db.endpoint, {
        method: 'POST',
        signal,
        headers: {
          'Neon-Connection-String': `${db.connectionString}?application_name=aegisx:${requestId}`,
          'Neon-Raw-Text-Output': 'true',
          'Neon-Array-Mode': 'true',
        },
        body: JSON.stringify(body),
      });
    const insert = (email: string) => ({ query: `insert into ${table} (email) values ($1)`, params: [email] });
    const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('gets no work started for it', async () => {
      db.setDelay(300);
      const request = send(insert('never-started@x.test'), AbortSignal.timeout(80), 'never-started');
      await expect(request).rejects.toThrow();
      await settle(400);
      db.setDelay(0);
      expect(db.stats('never-started')).toEqual({ roundTrips: 1, statements: 1 });
      expect(await count('never-started@x.test')).toBe(0);
    });

    it('gets its batch rolled back: nothing is committed', async () => {
      // PGlite blocks Node while a statement runs, so the batch notices the caller once pg_sleep returns.
      const sleep = backend === 'pglite' ? 0.4 : 3;
      const request = send(
        { queries: [insert('gone-1@x.test'), { query: `select pg_sleep(${sleep})`, params: [] }, insert('gone-2@x.test')] },
        AbortSignal.timeout(100),
      );
      await expect(request).rejects.toThrow();
      // The next request waits for the connection on PGlite; on Postgres the cancel has ended the statement by now.
      await vi.waitFor(async () => expect(await sleeping()).toBe(0), { timeout: 1_500, interval: 50 });
      for (const email of ['gone-1@x.test', 'gone-2@x.test']) expect(await count(email)).toBe(0);
    });

    it.runIf(backend === 'postgres')('gets its running statement cancelled with pg_cancel_backend', async () => {
      const started = performance.now();
      const request = send({ query: `select pg_sleep(5), $1::text as marker`, params: ['cancel-me'] }, AbortSignal.timeout(150));
      await expect(request).rejects.toThrow();
      await vi.waitFor(async () => expect(await sleeping()).toBe(0), { timeout: 1_500, interval: 50 });
      expect(performance.now() - started).toBeLessThan(2_000);
    });

    /** Statements of other connections still sleeping in pg_sleep. */
    async function sleeping(): Promise<number> {
      if (backend === 'pglite') return 0;
      const [row] = await sql`select count(*)::int as n from pg_stat_activity
        where state = 'active' and query like '%pg_sleep%' and pid <> pg_backend_pid()`;
      return row?.n as number;
    }
  });

  describe("Neon's own failure modes", () => {
    const cases = [
      ['connection-terminated', { name: 'NeonDbError', code: '08P01', message: 'Query cancelled, connection was terminated' }],
      ['admin-shutdown', { name: 'NeonDbError', code: '57P01' }],
      ['crash-shutdown', { name: 'NeonDbError', code: '57P02' }],
      ['cannot-connect-now', { name: 'NeonDbError', code: '57P03' }],
      ['too-many-connections', { name: 'NeonDbError', code: '53300' }],
      ['response-too-large', { name: 'NeonDbError', code: undefined, message: expect.stringMatching(/^Server error \(HTTP status 507\): .*response is too large/) }],
      ['bad-credentials', { name: 'NeonDbError', code: undefined, message: expect.stringMatching(/password authentication failed/) }],
    ] as const;

    it.each(cases)('%s: answered as Neon does, and nothing is written', async (mode, expected) => {
      expect((await control('/__fault', { method: 'POST', body: { mode } })).status).toBe(200);
      const email = `fault-${mode}@x.test`;
      await expect(sql.transaction([sql`insert into ${tbl} (email) values (${email})`])).rejects.toMatchObject(expected);
      await expect(sql`select 1`).rejects.toMatchObject(expected);
      db.setFault(null);
      expect(await count(email)).toBe(0);
    });
  });

  describe('drizzle-orm/neon-http', () => {
    it('selects and runs db.batch as one transaction', async () => {
      const orm = drizzle(neon(db.connectionString));
      const [inserted, renamed, listed] = await orm.batch([
        orm.insert(items).values({ email: 'drizzle@x.test' }).returning(),
        orm.update(items).set({ email: 'drizzle-renamed@x.test' }).where(eq(items.email, 'drizzle@x.test'))
          .returning({ id: items.id }),
        orm.select().from(items).where(eq(items.email, 'drizzle-renamed@x.test')),
      ]);
      const [created] = inserted;
      expect(created).toMatchObject({ email: 'drizzle@x.test', createdAt: expect.any(Date) });
      expect(renamed).toEqual([{ id: created?.id }]);
      expect(listed).toEqual([{ ...created, email: 'drizzle-renamed@x.test' }]);

      const selected = await orm.select({ id: items.id }).from(items).where(eq(items.email, 'drizzle-renamed@x.test'));
      expect(selected).toEqual(renamed);

      const failing = orm.batch([
        orm.insert(items).values({ email: 'drizzle-rolled-back@x.test' }),
        orm.insert(items).values({ email: 'drizzle-renamed@x.test' }),
      ]);
      await expect(failing).rejects.toMatchObject({ code: '23505' });
      expect(await count('drizzle-rolled-back@x.test')).toBe(0);
    });
  });
});

describe('PGlite persistence', () => {
  it('keeps a dataDir across restarts', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'local-db-'));
    try {
      const first = await startLocalDb({ dataDir });
      neonConfig.fetchEndpoint = first.endpoint;
      const sql = neon(first.connectionString);
      await sql`create table kept (note text)`;
      await sql`insert into kept values (${'survives a restart'})`;
      await first.stop();

      const second = await startLocalDb({ dataDir });
      neonConfig.fetchEndpoint = second.endpoint;
      expect(await neon(second.connectionString)`select note from kept`).toEqual([{ note: 'survives a restart' }]);
      await second.stop();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 30_000);
});
