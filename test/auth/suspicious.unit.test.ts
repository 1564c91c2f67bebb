import { describe, expect, it } from 'vitest';
import { detectSuspiciousLogin } from '../../src/modules/auth/services/suspicious';
import { distanceKm } from '../../src/lib/client-info';

const at = new Date('2026-11-27T12:00:00Z');
const hoursBefore = (h: number) => new Date(at.getTime() - h * 3_600_000);

describe('detectSuspiciousLogin (unit)', () => {
  it('measures great-circle distances', () => {
    expect(Math.round(distanceKm({ latitude: 51.5074, longitude: -0.1278 }, { latitude: 48.8566, longitude: 2.3522 }))).toBe(344);
  });

  it('ignores a first login from anywhere', () => {
    expect(detectSuspiciousLogin({ knownCountries: [], lastLocation: null, recentFailures: 0 }, { country: 'GB', latitude: 51.5, longitude: 0, at })).toEqual([]);
  });

  it('flags a new country only when the user has a history', () => {
    const flags = detectSuspiciousLogin({ knownCountries: ['TH'], lastLocation: null, recentFailures: 0 }, { country: 'GB', latitude: null, longitude: null, at });
    expect(flags.map((f) => f.flag)).toEqual(['new_country']);
  });

  it('flags travel faster than 1,000 km/h and ignores short hops', () => {
    const bangkok = { latitude: 13.75, longitude: 100.5 };
    const london = { country: 'TH', latitude: 51.5, longitude: -0.12, at };
    expect(detectSuspiciousLogin({ knownCountries: ['TH'], lastLocation: { ...bangkok, at: hoursBefore(2) }, recentFailures: 0 }, london).map((f) => f.flag)).toEqual(['impossible_travel']);
    expect(detectSuspiciousLogin({ knownCountries: ['TH'], lastLocation: { ...bangkok, at: hoursBefore(14) }, recentFailures: 0 }, london)).toEqual([]);
    expect(detectSuspiciousLogin({ knownCountries: ['TH'], lastLocation: { ...bangkok, at: hoursBefore(0.01) }, recentFailures: 0 }, { country: 'TH', latitude: 13.76, longitude: 100.51, at })).toEqual([]);
  });

  it('flags a success after a burst of failures', () => {
    expect(detectSuspiciousLogin({ knownCountries: [], lastLocation: null, recentFailures: 3 }, { country: null, latitude: null, longitude: null, at }).map((f) => f.flag)).toEqual(['failed_login_burst']);
  });
});
