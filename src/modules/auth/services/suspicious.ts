import { distanceKm } from '../../../lib/client-info';
import type { Severity } from '../../audit/service';

/** Faster than an airliner: the previous location and this one cannot both be the user's. */
export const IMPOSSIBLE_TRAVEL_KMH = 1000;
/** Failed attempts since the last success that make a successful login suspicious. */
export const FAILED_LOGIN_BURST = 3;

export interface LoginHistory {
  /** Countries of the user's earlier sessions. */
  knownCountries: string[];
  /** Where and when the user was last seen (the most recent session with coordinates). */
  lastLocation: { latitude: number; longitude: number; at: Date } | null;
  /** Failed attempts counted since the last successful login. */
  recentFailures: number;
}

export interface LoginPlace {
  country: string | null;
  latitude: number | null;
  longitude: number | null;
  at: Date;
}

export interface SuspicionFlag {
  flag: 'new_country' | 'impossible_travel' | 'failed_login_burst';
  severity: Severity;
  description: string;
  data: Record<string, unknown>;
}

/** The reasons a new login looks suspicious (none for a first login from anywhere). */
export function detectSuspiciousLogin(history: LoginHistory, place: LoginPlace): SuspicionFlag[] {
  const flags: SuspicionFlag[] = [];
  if (place.country && history.knownCountries.length > 0 && !history.knownCountries.includes(place.country)) {
    flags.push({
      flag: 'new_country',
      severity: 'medium',
      description: `Sign-in from a country not used before (${place.country})`,
      data: { country: place.country, knownCountries: history.knownCountries },
    });
  }
  if (history.lastLocation && place.latitude !== null && place.longitude !== null) {
    const km = distanceKm(history.lastLocation, { latitude: place.latitude, longitude: place.longitude });
    const hours = Math.max((place.at.getTime() - history.lastLocation.at.getTime()) / 3_600_000, 1 / 60);
    const speed = km / hours;
    if (km > 100 && speed > IMPOSSIBLE_TRAVEL_KMH) {
      flags.push({
        flag: 'impossible_travel',
        severity: 'high',
        description: `Impossible travel: ${Math.round(km)} km in ${Math.round(hours * 60)} min (${Math.round(speed)} km/h)`,
        data: { distanceKm: Math.round(km), hours: Math.round(hours * 100) / 100, speedKmh: Math.round(speed) },
      });
    }
  }
  if (history.recentFailures >= FAILED_LOGIN_BURST) {
    flags.push({
      flag: 'failed_login_burst',
      severity: 'medium',
      description: `Signed in after ${history.recentFailures} failed attempts`,
      data: { failedAttempts: history.recentFailures },
    });
  }
  return flags;
}
