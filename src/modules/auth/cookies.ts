import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from '../../context';

export const REFRESH_COOKIE = 'aegisx_refresh';
const COOKIE_PATH = '/api/auth';

function sameSite(value: string | undefined): 'Strict' | 'Lax' | 'None' {
  return value === 'Strict' || value === 'None' ? value : 'Lax';
}

/** The refresh token for browsers: HttpOnly, Secure, SameSite, scoped to /api/auth, Max-Age in seconds. */
export function setRefreshCookie(c: Context<AppEnv>, token: string, maxAgeSeconds: number) {
  setCookie(c, REFRESH_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: sameSite(c.env.REFRESH_COOKIE_SAMESITE),
    path: COOKIE_PATH,
    maxAge: Math.max(0, Math.floor(maxAgeSeconds)),
  });
}

export function clearRefreshCookie(c: Context<AppEnv>) {
  deleteCookie(c, REFRESH_COOKIE, { path: COOKIE_PATH, secure: true, httpOnly: true, sameSite: sameSite(c.env.REFRESH_COOKIE_SAMESITE) });
}

export const readRefreshCookie = (c: Context<AppEnv>) => getCookie(c, REFRESH_COOKIE);
