import type { z } from '@hono/zod-openapi';
import { ErrorResponseSchema } from './envelope';

export const jsonContent = <T extends z.ZodType>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
});

const errorDescriptions = {
  400: 'Invalid request: validation failure, malformed JSON or a rule of the operation',
  401: 'Missing, invalid or expired credentials',
  403: 'Authenticated, but without the required permission',
  404: 'Not found (or not visible to the caller)',
  405: 'Method not allowed on this path',
  409: 'Conflicts with existing data',
  412: 'The If-Match ETag is stale',
  413: 'Request body too large',
  415: 'Unsupported media type',
  429: 'Rate limit exceeded (see Retry-After)',
  500: 'Unexpected error (logged with the request id)',
  503: 'Database unavailable',
} as const;

type ErrorStatus = keyof typeof errorDescriptions;

/** Error responses in the one error envelope, for a route's `responses`. */
export function errorResponses<const S extends ErrorStatus>(...statuses: S[]) {
  return Object.fromEntries(
    statuses.map((status) => [status, jsonContent(ErrorResponseSchema, errorDescriptions[status])]),
  ) as { [K in S]: ReturnType<typeof jsonContent<typeof ErrorResponseSchema>> };
}

/** The errors every operation can answer. */
export const commonErrors = [400, 429, 500, 503] as const;

/** Public operations: no credentials. */
export const publicAccess = { security: [] as Record<string, string[]>[] };
