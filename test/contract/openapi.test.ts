import { describe, expect, it } from 'vitest';
import published from '../../openapi/openapi.json';
import { api, loginAs, registerUser, sql } from '../harness';

type Operation = { operationId?: string; tags?: string[]; summary?: string; security?: unknown[]; responses: Record<string, unknown>; 'x-required-permission'?: string };
const document = published as unknown as { openapi: string; paths: Record<string, Record<string, Operation>> };
const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
);

describe('the OpenAPI document', () => {
  it('is served by the Worker exactly as published in openapi/openapi.json', async () => {
    const res = await api('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(published);
    expect(document.openapi).toBe('3.1.0');
  });

  it('gives every operation an operationId, tags, a summary and error responses in the envelope', () => {
    const ids = new Set<string>();
    for (const { path, method, op } of operations) {
      const name = `${method} ${path}`;
      expect(op.operationId, name).toBeTruthy();
      expect(ids.has(op.operationId!), `${name} duplicate operationId`).toBe(false);
      ids.add(op.operationId!);
      expect(op.tags?.length, name).toBeGreaterThan(0);
      expect(op.summary, name).toBeTruthy();
      const errors = Object.keys(op.responses).filter((s) => Number(s) >= 400);
      expect(errors.length, name).toBeGreaterThan(0);
      for (const status of errors) {
        expect(JSON.stringify(op.responses[status]), `${name} ${status}`).toContain('#/components/schemas/ErrorResponse');
      }
    }
  });

  it('answers 401 without credentials on every protected operation', async () => {
    const example = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
    for (const { path, method, op } of operations) {
      if (Array.isArray(op.security) && op.security.length === 0) continue;
      const res = await api(example(path), { method, ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }) });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body.error.code, `${method} ${path}`).toBe('UNAUTHORIZED');
    }
  });

  it('answers 403, changes nothing and records the refusal on every permission-guarded operation for a user without the permission', async () => {
    const user = await registerUser();
    await sql('delete from user_roles where user_id = $1', [user.id]);
    const { accessToken } = await loginAs(user.email, user.password);
    const auditRows = () => sql<{ description: string }>('select description from audit_logs where user_id = $1', [user.id]);
    const events = () => sql<{ event_type: string }>('select event_type from session_security_events where user_id = $1', [user.id]);
    const [auditBefore, eventsBefore] = [(await auditRows()).length, (await events()).length];
    const guarded = operations.filter(({ op }) => op['x-required-permission']);
    expect(guarded.length).toBeGreaterThan(10);
    for (const { path, method, op } of guarded) {
      const url = path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await api(url, { method, token: accessToken, ...(method === 'GET' ? {} : { body: {} }) });
      expect(res.status, `${method} ${path} (${op['x-required-permission']})`).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    // Nothing else was written: one audit row and one security event per refusal, nothing more.
    const audit = await auditRows();
    expect(audit).toHaveLength(auditBefore + guarded.length);
    expect(audit.filter((row) => row.description?.startsWith('Refused (FORBIDDEN)'))).toHaveLength(guarded.length);
    const refusals = await events();
    expect(refusals).toHaveLength(eventsBefore + guarded.length);
    expect(refusals.filter((e) => e.event_type === 'authorization_refused')).toHaveLength(guarded.length);
  });

  it('serves the interactive docs page from the Worker itself', async () => {
    const res = await api('/api/docs');
    expect(res.status).toBe(200);
    expect(String(res.body)).toContain('/api/docs/assets/swagger-ui-bundle.js');
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});
