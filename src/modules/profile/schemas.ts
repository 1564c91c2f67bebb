import { z } from '@hono/zod-openapi';
import { NO_NUL_MESSAGE, noNul } from '../../lib/typed-value';
import { AuthenticatedUserSchema } from '../auth/schemas';
import { LanguageSchema, TimezoneSchema, UserPreferencesSchema } from '../preferences/schemas';

export const UserProfileSchema = AuthenticatedUserSchema.extend({
  bio: z.string().nullable(),
  timezone: z.string().openapi({ example: 'Asia/Bangkok' }),
  language: z.string().openapi({ example: 'en' }),
  dateOfBirth: z.iso.date().nullable(),
  phone: z.string().nullable(),
  preferences: UserPreferencesSchema,
  updatedAt: z.iso.datetime({ offset: true }),
}).openapi('UserProfile');

const today = () => new Date().toISOString().slice(0, 10);

/** Only the caller's own editable fields: anything else (email, status, roles...) is rejected, never written. */
export const UpdateProfileBodySchema = z
  .strictObject({
    name: z.string().trim().min(1).max(100).refine(noNul, NO_NUL_MESSAGE).optional().openapi({ example: 'Jane Doe' }),
    firstName: z.string().trim().min(1).max(100).refine(noNul, NO_NUL_MESSAGE).optional().openapi({ example: 'Jane' }),
    lastName: z.string().trim().min(1).max(100).refine(noNul, NO_NUL_MESSAGE).optional().openapi({ example: 'Doe' }),
    bio: z.string().max(1000).refine(noNul, NO_NUL_MESSAGE).nullable().optional(),
    timezone: TimezoneSchema.optional(),
    language: LanguageSchema.optional(),
    dateOfBirth: z.iso
      .date()
      .refine((d) => d >= '1900-01-01' && d < today(), { message: 'Must be a past date after 1900' })
      .nullable()
      .optional()
      .openapi({ example: '1990-04-12' }),
    phone: z
      .string()
      .regex(/^\+?[0-9][0-9 ()-]{5,18}$/, 'Digits, spaces, ( ) and -, optionally starting with +')
      .nullable()
      .optional()
      .openapi({ example: '+66 2 123 4567' }),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'Nothing to change' })
  .openapi('UpdateProfileRequest');
