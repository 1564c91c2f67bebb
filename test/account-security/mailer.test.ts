import { afterEach, describe, expect, it, vi } from 'vitest';
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { createApp } from '../../src/app';
import worker from '../../src/index';
import { createLogger } from '../../src/lib/logger';
import {
  actionLink,
  cloudflareSender,
  createMailer,
  deliver,
  httpApiSender,
  listOutbox,
  outboxSender,
  parseMailbox,
  passwordResetMessage,
  queueEmail,
  verifyEmailMessage,
  type EmailMessage,
  type EmailSender,
} from '../../src/lib/mailer';
import { buildOpenApiDocument } from '../../src/openapi';
import { api, env, expectError, randomIdentity } from '../harness';

const message = (to = randomIdentity().email): EmailMessage => ({ to, subject: 'Hello', text: 'Plain https://app.aegisx.test/x?token=abc', html: '<p>Hello</p>', template: 'test_message' });
const meta = { requestId: 'req-mailer-test', now: new Date('2026-11-27T10:00:00.000Z') };

interface Captured {
  url: string;
  init: RequestInit;
}

function fakeFetch(status = 200, captured: Captured[] = []) {
  const fn = async (input: RequestInfo | URL, init?: RequestInit) => {
    captured.push({ url: String(input), init: init ?? {} });
    return new Response(status < 300 ? '{"id":"m_1"}' : '{"message":"invalid api key"}', { status });
  };
  return { fetch: fn as typeof fetch, captured };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the outbox transport and GET /api/dev/outbox', () => {
  it('stores each message in KV under outbox:<timestamp>:<sequence>:<id> for a day', async () => {
    const msg = message();
    await outboxSender(env.CACHE, 'AegisX <no-reply@aegisx.test>').send(msg, meta);
    const { keys } = await env.CACHE.list<{ to: string }>({ prefix: 'outbox:' });
    const key = keys.find((k) => k.metadata?.to === msg.to);
    expect(key?.name).toMatch(/^outbox:\d{13}:\d{6}:[0-9a-f-]{36}$/);
    const ttl = key!.expiration! - Date.now() / 1000;
    expect(ttl).toBeGreaterThan(86_400 - 120);
    expect(ttl).toBeLessThanOrEqual(86_400 + 1);
    const [stored] = await listOutbox(env.CACHE, { to: msg.to.toUpperCase(), limit: 10 });
    expect(stored).toMatchObject({ ...msg, from: 'AegisX <no-reply@aegisx.test>', requestId: meta.requestId, createdAt: meta.now.toISOString() });
  });

  it('lists messages to one address, newest first, with their links', async () => {
    const to = randomIdentity().email;
    const sender = outboxSender(env.CACHE, 'x@aegisx.test');
    // Sent within the same millisecond or not: the key's sequence orders them.
    await sender.send({ ...message(to), subject: 'first' }, meta);
    await sender.send({ ...message(to), subject: 'second', template: 'other' }, meta);
    const res = await api(`/api/dev/outbox?to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    expect(res.body.data.map((m: { subject: string }) => m.subject)).toEqual(['second', 'first']);
    expect(res.body.data[0].links).toEqual(['https://app.aegisx.test/x?token=abc']);
    const filtered = await api(`/api/dev/outbox?to=${encodeURIComponent(to)}&template=test_message`);
    expect(filtered.body.data.map((m: { subject: string }) => m.subject)).toEqual(['first']);
    expectError(await api('/api/dev/outbox?limit=0'), 400, 'VALIDATION_ERROR');
  });

  it('does not exist in the production build: not mounted, 404, and absent from its OpenAPI document', async () => {
    const production = createApp({ environment: 'production' });
    // A production deployment has no local database endpoint (the configuration check refuses one).
    const { LOCAL_DB_ENDPOINT: _local, ...productionEnv } = env;
    const res = await production.request('/api/dev/outbox', {}, { ...productionEnv, APP_ENV: 'production' });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    // The Worker itself, deployed with APP_ENV production.
    const ctx = createExecutionContext();
    const deployed = await worker.fetch(new Request('https://api.test/api/dev/outbox'), { ...productionEnv, APP_ENV: 'production' }, ctx);
    await waitOnExecutionContext(ctx);
    expect(deployed.status).toBe(404);
    expect(((await deployed.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect(createApp({ environment: 'test' }).routes.some((r) => r.path === '/api/dev/outbox')).toBe(true);
    expect(createApp().routes.some((r) => r.path.startsWith('/api/dev'))).toBe(false);
    const document = buildOpenApiDocument(production, 'test') as { paths: Record<string, unknown> };
    expect(document.paths['/api/dev/outbox']).toBeUndefined();
    expect(document.paths['/api/auth/2fa/verify']).toBeDefined();
    const served = await api<never>('/api/openapi.json');
    expect((served.body as unknown as { paths: Record<string, unknown> }).paths['/api/dev/outbox']).toBeUndefined();
  });
});

describe('createMailer', () => {
  const base = { CACHE: env.CACHE, EMAIL_FROM: 'AegisX <no-reply@aegisx.example>' };

  it('picks the outbox outside production, and in production the HTTP API or the send_email binding', async () => {
    expect(createMailer({ ...base, APP_ENV: 'test' }).transport).toBe('outbox');
    expect(createMailer({ ...base, APP_ENV: 'development' }).transport).toBe('outbox');
    expect(createMailer({ ...base, APP_ENV: 'production', EMAIL_API_URL: 'https://api.resend.com/emails', EMAIL_API_KEY: 're_test' }).transport).toBe('http');
    const binding = { send: vi.fn(async () => ({ messageId: 'x' })) } as unknown as SendEmail;
    expect(createMailer({ ...base, APP_ENV: 'production', SEND_EMAIL: binding }).transport).toBe('cloudflare');
    expect(createMailer({ ...base, APP_ENV: 'test', EMAIL_TRANSPORT: 'http', EMAIL_API_URL: 'https://mail.test/send', EMAIL_API_KEY: 'k' }).transport).toBe('http');
  });

  it('fails each send (never the construction) when misconfigured', async () => {
    const cases = [
      { APP_ENV: 'production' as const, EMAIL_TRANSPORT: 'outbox' },
      { APP_ENV: 'production' as const },
      { APP_ENV: 'production' as const, EMAIL_API_URL: 'https://api.resend.com/emails' },
      { APP_ENV: 'test' as const, EMAIL_TRANSPORT: 'carrier-pigeon' },
    ];
    for (const config of cases) {
      await expect(createMailer({ ...base, ...config }).send(message(), meta)).rejects.toThrow();
    }
  });

  it('posts Resend-style JSON with a bearer key to EMAIL_API_URL', async () => {
    const { fetch, captured } = fakeFetch();
    const mailer = createMailer({ ...base, APP_ENV: 'production', EMAIL_API_URL: 'https://api.resend.com/emails', EMAIL_API_KEY: 're_secret' }, { fetch });
    const msg = message('jane@example.com');
    await mailer.send(msg, meta);
    expect(captured).toHaveLength(1);
    expect(captured[0]!.url).toBe('https://api.resend.com/emails');
    expect(captured[0]!.init.method).toBe('POST');
    expect(captured[0]!.init.headers).toMatchObject({ Authorization: 'Bearer re_secret', 'Content-Type': 'application/json' });
    expect(JSON.parse(String(captured[0]!.init.body))).toEqual({
      from: 'AegisX <no-reply@aegisx.example>',
      to: ['jane@example.com'],
      subject: msg.subject,
      text: msg.text,
      html: msg.html,
      tags: [{ name: 'template', value: 'test_message' }],
    });
  });

  it('posts Postmark-style JSON with the server token when EMAIL_API_FORMAT is postmark, and rejects a non-2xx answer', async () => {
    const { fetch, captured } = fakeFetch();
    const postmark = httpApiSender({ url: 'https://api.postmarkapp.com/email', apiKey: 'pm-token', from: 'a@aegisx.example', format: 'postmark', fetch });
    await postmark.send(message('jane@example.com'), meta);
    expect(captured[0]!.init.headers).toMatchObject({ 'X-Postmark-Server-Token': 'pm-token' });
    expect(JSON.parse(String(captured[0]!.init.body))).toMatchObject({ From: 'a@aegisx.example', To: 'jane@example.com', TextBody: expect.any(String), HtmlBody: '<p>Hello</p>', MessageStream: 'outbound' });
    const failing = httpApiSender({ url: 'https://api.resend.com/emails', apiKey: 'bad', from: 'a@aegisx.example', format: 'resend', fetch: fakeFetch(401).fetch });
    await expect(failing.send(message(), meta)).rejects.toThrow(/401/);
  });

  it('sends text and HTML through the send_email binding', async () => {
    const send = vi.fn(async () => ({ messageId: 'cf-1' }));
    await cloudflareSender({ send } as unknown as SendEmail, 'AegisX <no-reply@aegisx.example>').send(message('jane@example.com'), meta);
    expect(send).toHaveBeenCalledWith({ from: { name: 'AegisX', email: 'no-reply@aegisx.example' }, to: 'jane@example.com', subject: 'Hello', text: expect.any(String), html: '<p>Hello</p>' });
    expect(parseMailbox('no-reply@aegisx.example')).toBe('no-reply@aegisx.example');
    expect(parseMailbox('"Aegis X" <a@b.example>')).toEqual({ name: 'Aegis X', email: 'a@b.example' });
  });
});

describe('sending after the response', () => {
  it('queues the send with waitUntil, never throws, and logs a failure with the request id (not the address)', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const failing: EmailSender = { transport: 'http', send: () => Promise.reject(new Error('smtp is down')) };
    const pending: Promise<unknown>[] = [];
    const ctx = { env: { APP_ENV: 'test' as const, CACHE: env.CACHE, EMAIL_FROM: 'x@aegisx.test' }, logger: createLogger('req-send-failure-1'), requestId: 'req-send-failure-1', now: new Date(), waitUntil: (p: Promise<unknown>) => pending.push(p) };
    const msg = message('secret-recipient@example.com');
    expect(() => queueEmail(ctx, msg, failing)).not.toThrow();
    expect(pending).toHaveLength(1);
    await expect(pending[0]).resolves.toBe(false);
    const line = JSON.parse(String(errors.mock.calls[0]![0]));
    expect(line).toMatchObject({ level: 'error', message: 'email send failed', requestId: 'req-send-failure-1', template: 'test_message', transport: 'http', error: 'smtp is down' });
    expect(JSON.stringify(line)).not.toContain('secret-recipient@example.com');
    expect(await deliver(ctx, msg, outboxSender(env.CACHE, 'x@aegisx.test'))).toBe(true);
  });
});

describe('templates', () => {
  it('build plain-text and HTML bodies with escaped values and links on the front-end base URL', () => {
    expect(actionLink('https://app.example.com/', '/auth/reset-password', { token: 'a+b/c' })).toBe('https://app.example.com/auth/reset-password?token=a%2Bb%2Fc');
    const link = actionLink('https://app.example.com', '/auth/verify-email', { token: 'tok' });
    const verify = verifyEmailMessage({ to: 'x@example.com', name: '<script>alert(1)</script>', link, validHours: 24, change: false });
    expect(verify.html).not.toContain('<script>');
    expect(verify.html).toContain('&lt;script&gt;');
    expect(verify.html).toContain(`href="${link}"`);
    expect(verify.text).toContain(link);
    const reset = passwordResetMessage({ to: 'x@example.com', name: null, link, validMinutes: 60 });
    expect(reset.text.startsWith('Hello,')).toBe(true);
    expect(reset.template).toBe('password_reset');
  });
});
