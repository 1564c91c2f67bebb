import { z } from '@hono/zod-openapi';
import { DataTypeSchema, NO_NUL_MESSAGE, noNul, TypedValueInputSchema, TypedValueSchema } from '../../lib/typed-value';

export const SystemSettingSchema = z
  .object({
    id: z.uuid(),
    category: z.string().openapi({ example: 'features' }),
    key: z.string().openapi({ example: 'registration_enabled' }),
    value: TypedValueSchema.nullable().openapi({ description: 'The value read by its data type (null if the stored text does not read as that type)' }),
    dataType: DataTypeSchema,
    description: z.string().nullable(),
    isPublic: z.boolean().openapi({ description: 'Served without authentication by GET /api/system-settings/public' }),
    requiresRestart: z.boolean().openapi({ description: 'A change takes effect only after a redeploy of the Worker' }),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('SystemSetting');

export const PublicSystemSettingsSchema = z
  .record(z.string(), z.record(z.string(), z.unknown()))
  .openapi('PublicSystemSettings', {
    description: 'Public settings by category and key, typed',
    example: { app: { name: 'AegisX Platform' }, features: { registration_enabled: true } },
  });

const CategorySchema = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z][a-z0-9_]*$/, 'Lower-case letters, digits and _')
  .openapi({ example: 'features' });
const KeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_.-]*$/, 'Lower-case letters, digits, _, . and -')
  .openapi({ example: 'maintenance_mode' });

export const CreateSystemSettingBodySchema = z
  .strictObject({
    category: CategorySchema,
    key: KeySchema,
    value: TypedValueInputSchema,
    dataType: DataTypeSchema,
    description: z.string().max(1000).refine(noNul, NO_NUL_MESSAGE).nullable().optional(),
    isPublic: z.boolean().optional(),
    requiresRestart: z.boolean().optional(),
  })
  .openapi('CreateSystemSettingRequest');

export const UpdateSystemSettingBodySchema = z
  .strictObject({
    value: TypedValueInputSchema.optional(),
    dataType: DataTypeSchema.optional(),
    description: z.string().max(1000).refine(noNul, NO_NUL_MESSAGE).nullable().optional(),
    isPublic: z.boolean().optional(),
    requiresRestart: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' })
  .refine((b) => b.dataType === undefined || b.value !== undefined, { message: 'A new dataType needs a value of that type', path: ['value'] })
  .openapi('UpdateSystemSettingRequest');

export const SystemSettingIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b7f9d2e-4a51-4c8e-9a38-6f2d1c7e5b10' }),
});

export const SystemSettingListQuerySchema = z.strictObject({
  category: CategorySchema.optional(),
});

export const DeletedSchema = z.object({ id: z.uuid(), deleted: z.literal(true) }).openapi('Deleted');
