/**
 * Quiet hours, as pure functions of a clock, a time zone and a window (no I/O): whether an instant
 * falls inside a user's daily window, and when that window ends. A window is read in the user's
 * time zone; when `start` is later than `end` it crosses midnight (22:00-07:00 covers 23:30 and
 * 06:00); `start` equal to `end` is an empty window.
 *
 * The same rules are written in SQL in services/delivery-sql.ts, which decides a new
 * notification's email time inside the insert itself, and again inside the claim of the email job
 * when the email is due (services/email-claims.ts); the tests hold them to the same cases.
 */

export interface QuietWindow {
  /** `HH:MM` or `HH:MM:SS`, 24-hour, in the user's time zone. */
  start: string;
  end: string;
}

export interface QuietStatus {
  /** True when `now` falls inside the window. */
  active: boolean;
  /** When the current window ends (an email held now is due then); null outside quiet hours. */
  endsAt: Date | null;
}

const TIME = /^([01]\d|2[0-3]):([0-5]\d)(?::([0-5]\d))?$/;
const DAY_MS = 86_400_000;

/** Seconds after midnight of `HH:MM[:SS]`. */
export function secondsOfDay(time: string): number {
  const match = TIME.exec(time);
  if (!match) throw new RangeError(`Not a time of day: ${time}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}

/** True for a time zone the runtime knows (IANA names and their aliases, any case). */
export function isValidTimeZone(timeZone: string): boolean {
  if (!timeZone) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The user's time zone: the preference, else the account's, else UTC; a value the runtime does not
 * know counts as UTC (as in services/delivery-sql.ts).
 */
export function resolveTimeZone(preferred: string | null | undefined, account: string | null | undefined): string {
  const wanted = preferred || account || 'UTC';
  return isValidTimeZone(wanted) ? wanted : 'UTC';
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  seconds: number;
}

/** The wall-clock date and time of an instant in a time zone. */
export function wallClock(instant: Date, timeZone: string): WallClock {
  const parts = Object.fromEntries(formatter(timeZone).formatToParts(instant).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    seconds: Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second),
  };
}

/** Milliseconds the zone is ahead of UTC at an instant. */
function offsetAt(instantMs: number, timeZone: string): number {
  const w = wallClock(new Date(instantMs), timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day) + w.seconds * 1000;
  return asUtc - Math.floor(instantMs / 1000) * 1000;
}

/**
 * The instant at which a zone's clocks show a wall-clock time. In a daylight-saving gap (a time
 * that does not exist) or an overlap (a time that happens twice), the later candidate is taken,
 * as PostgreSQL's `AT TIME ZONE` does.
 */
export function zonedTime(year: number, month: number, day: number, seconds: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day) + seconds * 1000;
  const candidates = [offsetAt(wall - DAY_MS / 2, timeZone), offsetAt(wall + DAY_MS / 2, timeZone)].map((offset) => wall - offset);
  const exact = candidates.filter((instant) => offsetAt(instant, timeZone) === wall - instant);
  return new Date(Math.max(...(exact.length > 0 ? exact : candidates)));
}

/** Whether `now` is inside the daily window in `timeZone`, and when the window ends. */
export function quietStatus(now: Date, timeZone: string, window: QuietWindow | null): QuietStatus {
  if (!window) return { active: false, endsAt: null };
  const start = secondsOfDay(window.start);
  const end = secondsOfDay(window.end);
  if (start === end) return { active: false, endsAt: null };
  const local = wallClock(now, timeZone);
  const t = local.seconds;
  const crossesMidnight = start > end;
  const active = crossesMidnight ? t >= start || t < end : t >= start && t < end;
  if (!active) return { active: false, endsAt: null };
  // The window ends on the local day after today when it started before midnight today.
  const nextDay = crossesMidnight && t >= start ? 1 : 0;
  const endDay = new Date(Date.UTC(local.year, local.month - 1, local.day + nextDay));
  return { active: true, endsAt: zonedTime(endDay.getUTCFullYear(), endDay.getUTCMonth() + 1, endDay.getUTCDate(), end, timeZone) };
}
