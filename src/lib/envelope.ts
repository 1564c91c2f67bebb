import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../context';
import type { ErrorCode, ErrorDetail } from './errors';

export const MetaSchema = z
  .object({
    timestamp: z.string().openapi({ format: 'date-time', example: '2026-11-27T10:00:00.000Z' }),
    version: z.string().openapi({ example: '0.1.0' }),
    requestId: z.string().openapi({ example: '5f0c1f43-8d27-4c33-b5c2-6a0f1a3e0b9e' }),
  })
  .openapi('ResponseMeta');

export const PaginationSchema = z
  .object({
    page: z.number().int().optional(),
    limit: z.number().int(),
    total: z.number().int().optional(),
    totalPages: z.number().int().optional(),
    nextCursor: z.string().nullable().optional(),
  })
  .openapi('Pagination');

export const ErrorDetailSchema = z
  .object({
    field: z.string().openapi({ example: 'email' }),
    message: z.string().openapi({ example: 'Invalid email address' }),
    code: z.string().openapi({ example: 'invalid_format' }),
  })
  .openapi('ErrorDetail');

export const ErrorResponseSchema = z
  .object({
    success: z.literal(false),
    error: z.object({
      code: z.string().openapi({ example: 'VALIDATION_ERROR' }),
      message: z.string().openapi({ example: 'Invalid request data' }),
      details: z.union([z.array(ErrorDetailSchema), z.record(z.string(), z.unknown())]).optional(),
      requestId: z.string(),
    }),
  })
  .openapi('ErrorResponse');

/** `{ success: true, data, meta }` around a data schema. */
export function successSchema<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data, meta: MetaSchema });
}

/** `{ success: true, data: [...], meta: { ..., pagination } }` around an item schema. */
export function listSchema<T extends z.ZodType>(item: T) {
  return z.object({
    success: z.literal(true),
    data: z.array(item),
    meta: MetaSchema.extend({ pagination: PaginationSchema }),
  });
}

function meta(c: Context<AppEnv>) {
  return { timestamp: new Date().toISOString(), version: c.env.APP_VERSION, requestId: c.get('requestId') };
}

/** Answers 200 `{ success: true, data, meta }`. */
export function ok<T>(c: Context<AppEnv>, data: T) {
  return c.json({ success: true as const, data, meta: meta(c) }, 200);
}

/** Answers 201 `{ success: true, data, meta }`. */
export function created<T>(c: Context<AppEnv>, data: T) {
  return c.json({ success: true as const, data, meta: meta(c) }, 201);
}

/** Answers a list with pagination metadata. */
export function okList<T>(c: Context<AppEnv>, data: T[], pagination: z.infer<typeof PaginationSchema>) {
  return c.json({ success: true as const, data, meta: { ...meta(c), pagination } }, 200);
}

/** The error body; the only place it is built. */
export function errorBody(
  c: Context<AppEnv>,
  code: ErrorCode,
  message: string,
  details?: ErrorDetail[] | Record<string, unknown>,
) {
  return {
    success: false as const,
    error: { code, message, ...(details ? { details } : {}), requestId: c.get('requestId') ?? '' },
  };
}
