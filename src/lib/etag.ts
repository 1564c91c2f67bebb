import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import { ok } from './envelope';

const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replaceAll('=', '');
}

/** A strong ETag for a JSON representation: 128 bits of the SHA-256 of its serialisation. */
export async function etagOf(data: unknown): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', encoder.encode(JSON.stringify(data)));
  return `"${base64url(new Uint8Array(digest).slice(0, 16))}"`;
}

/**
 * The ETag of one row of a shared object: its version, `md5(row::text)` computed by Postgres,
 * so an update can compare it atomically in its WHERE clause (`If-Match`).
 */
export const versionEtag = (version: string) => `"${version}"`;

const VERSION = /^[0-9a-f]{32}$/;

function entityTags(header: string): string[] {
  return header
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
}

/** True when `If-None-Match` names `etag` (weak comparison) or is `*`. */
export function ifNoneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, '');
  return entityTags(header).some((tag) => tag === '*' || tag.replace(/^W\//, '') === bare);
}

/**
 * The row versions an `If-Match` header accepts (strong comparison: weak tags never match), or
 * undefined when the header is absent or `*` (any current version). An empty list can match nothing.
 */
export function ifMatchVersions(header: string | undefined): string[] | undefined {
  if (!header) return undefined;
  const tags = entityTags(header);
  if (tags.includes('*')) return undefined;
  return tags
    .filter((tag) => !tag.startsWith('W/'))
    .map((tag) => tag.replace(/^"(.*)"$/, '$1'))
    .filter((version) => VERSION.test(version));
}

/**
 * Answers a cacheable representation: `ETag` and `Cache-Control` headers, then 304 with no body
 * when `If-None-Match` already names this ETag, else 200 in the envelope.
 */
export function okWithEtag<T>(c: Context<AppEnv>, data: T, etag: string, cacheControl = 'private, no-cache') {
  c.header('ETag', etag);
  c.header('Cache-Control', cacheControl);
  if (ifNoneMatchHits(c.req.header('if-none-match'), etag)) return c.body(null, 304);
  return ok(c, data);
}

/** Request headers of a cacheable read (documented in the OpenAPI document). */
export const IfNoneMatchHeadersSchema = z.object({
  'if-none-match': z.string().max(1000).optional().openapi({ description: 'An ETag from an earlier answer: 304 with no body when it is still current' }),
});

/** Request headers of an update of a shared object (documented in the OpenAPI document). */
export const IfMatchHeadersSchema = z.object({
  'if-match': z
    .string()
    .max(1000)
    .optional()
    .openapi({ description: 'The ETag the change is based on: 412 PRECONDITION_FAILED (and nothing changes) when the object has changed since' }),
});
