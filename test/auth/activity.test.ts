import { describe, expect, it } from 'vitest';
import { api, expectError, signedInUser, sql } from '../harness';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).byteLength;

/** Page-view data whose JSON is exactly `size` bytes: fields of at most 500 characters of `char`, the last one trimmed to fit. */
function dataOf(size: number, char = 'x') {
  const data: Record<string, string> = {};
  for (let i = 0; bytes(data) < size; i++) {
    const key = `f${String(i).padStart(2, '0')}`;
    data[key] = '';
    let value = '';
    while (value.length < 500 && bytes({ ...data, [key]: value + char }) <= size) value += char;
    data[key] = value;
    if (bytes(data) < size && value.length < 500) {
      // A multi-byte character that does not fit: pad with single bytes.
      while (bytes(data) < size && data[key]!.length < 500) data[key] += 'y';
    }
  }
  expect(bytes(data)).toBe(size);
  return data;
}

const pageViews = (sessionId: string) =>
  sql<{ resource: string; request_data: string }>("select resource, request_data::text from session_activity where session_id = $1 and activity_type = 'page_view'", [sessionId]);

describe('POST /api/auth/activity', () => {
  it('takes page-view data up to 4096 bytes as JSON and refuses more with 400 (body.data too_big), recording nothing', async () => {
    const { session } = await signedInUser();
    const post = (resource: string, data: Record<string, unknown>) => api('/api/auth/activity', { method: 'POST', token: session.accessToken, body: { resource, data } });

    const tooBig = [
      ['/one-byte-over', dataOf(4097)],
      // Every field within its 500 characters, but 40 of them.
      ['/many-fields', Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'x'.repeat(500)]))],
      // 1,500 characters, 4,500 bytes: the limit is on bytes, not characters.
      ['/multi-byte', Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`f${i}`, '€'.repeat(500)]))],
      ['/many-numbers', Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`n${i}`, 1234567890]))],
    ] as const;
    for (const [resource, data] of tooBig) {
      expect(bytes(data)).toBeGreaterThan(4096);
      const res = await post(resource, data);
      expectError(res, 400, 'VALIDATION_ERROR');
      expect(res.body.error.details).toEqual([{ field: 'body.data', code: 'too_big', message: expect.any(String) }]);
    }

    const atLimit = dataOf(4096);
    const accepted = await post('/at-the-limit', atLimit);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(202);
    const multiByte = dataOf(4096, '€');
    expect((await post('/multi-byte-at-the-limit', multiByte)).status).toBe(202);
    await expect
      .poll(async () => (await pageViews(session.sessionId)).map((r) => r.resource).sort(), { timeout: 10_000, interval: 100 })
      .toEqual(['/at-the-limit', '/multi-byte-at-the-limit']);
    const rows = await pageViews(session.sessionId);
    expect(JSON.parse(rows.find((r) => r.resource === '/at-the-limit')!.request_data)).toEqual(atLimit);
    expect(JSON.parse(rows.find((r) => r.resource === '/multi-byte-at-the-limit')!.request_data)).toEqual(multiByte);
  });
});
