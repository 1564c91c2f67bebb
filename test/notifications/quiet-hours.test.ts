import { describe, expect, it } from 'vitest';
import { isValidTimeZone, quietStatus, resolveTimeZone, secondsOfDay, wallClock, zonedTime } from '../../src/modules/notifications/quiet-hours';
import { quietCases } from './helpers';

describe('quiet hours (pure)', () => {
  it.each(quietCases)('$name', ({ zone, start, end, now, endsAt }) => {
    const status = quietStatus(new Date(now), resolveTimeZone(zone, null), { start, end });
    expect(status.active).toBe(endsAt !== null);
    expect(status.endsAt?.toISOString() ?? null).toBe(endsAt);
  });

  it('treats no window and an empty window (start = end) as never quiet', () => {
    expect(quietStatus(new Date('2026-06-01T23:00:00Z'), 'UTC', null)).toEqual({ active: false, endsAt: null });
    expect(quietStatus(new Date('2026-06-01T23:00:00Z'), 'UTC', { start: '23:00', end: '23:00' })).toEqual({ active: false, endsAt: null });
  });

  it('resolves the time zone: preference, then account, then UTC; unknown names count as UTC', () => {
    expect(resolveTimeZone('Asia/Bangkok', 'Europe/Paris')).toBe('Asia/Bangkok');
    expect(resolveTimeZone(null, 'Europe/Paris')).toBe('Europe/Paris');
    expect(resolveTimeZone('', 'Europe/Paris')).toBe('Europe/Paris');
    expect(resolveTimeZone(null, null)).toBe('UTC');
    expect(resolveTimeZone('Not/AZone', 'Europe/Paris')).toBe('UTC');
    expect(isValidTimeZone('asia/bangkok')).toBe(true);
    expect(isValidTimeZone('')).toBe(false);
  });

  it('reads wall clocks and builds instants from them', () => {
    expect(wallClock(new Date('2026-06-01T16:30:15Z'), 'Asia/Bangkok')).toEqual({ year: 2026, month: 6, day: 1, seconds: 23 * 3600 + 30 * 60 + 15 });
    expect(zonedTime(2026, 6, 2, 7 * 3600, 'Asia/Bangkok').toISOString()).toBe('2026-06-02T00:00:00.000Z');
    expect(zonedTime(2026, 12, 31, 0, 'America/New_York').toISOString()).toBe('2026-12-31T05:00:00.000Z');
    expect(secondsOfDay('07:30')).toBe(27_000);
    expect(secondsOfDay('23:59:59')).toBe(86_399);
    expect(() => secondsOfDay('24:00')).toThrow(RangeError);
  });
});
