import { z } from '@hono/zod-openapi';
import { DataTypeSchema, NO_NUL_MESSAGE, noNul, TypedValueInputSchema, TypedValueSchema } from '../../lib/typed-value';
import { SettingCategorySchema, SettingKeySchema } from '../setting-templates/schemas';

export const UserSettingSchema = z
  .object({
    category: z.string().openapi({ example: 'editor' }),
    key: z.string().openapi({ example: 'tab_size' }),
    value: TypedValueSchema.nullable(),
    dataType: DataTypeSchema,
    description: z.string().nullable(),
    source: z.enum(['user', 'default']).openapi({ description: 'user: the caller set it; default: the template’s default value' }),
    userConfigurable: z.boolean(),
    isSystem: z.boolean(),
    updatedAt: z.iso.datetime({ offset: true }).nullable(),
  })
  .openapi('UserSetting');

export const SetUserSettingBodySchema = z
  .strictObject({
    value: TypedValueInputSchema,
    dataType: DataTypeSchema.optional().openapi({ description: 'Required when no template defines the setting; otherwise it must match the template' }),
    description: z.string().max(500).refine(noNul, NO_NUL_MESSAGE).nullable().optional(),
  })
  .openapi('SetUserSettingRequest', { example: { value: 4 } });

export const UserSettingParamsSchema = z.object({
  category: SettingCategorySchema.openapi({ param: { name: 'category', in: 'path' } }),
  key: SettingKeySchema.openapi({ param: { name: 'key', in: 'path' } }),
});

export const ManagedUserSettingParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, description: 'The user' }),
  category: SettingCategorySchema.openapi({ param: { name: 'category', in: 'path' } }),
  key: SettingKeySchema.openapi({ param: { name: 'key', in: 'path' } }),
});

export const UserSettingListQuerySchema = z.strictObject({ category: SettingCategorySchema.optional() });

export const DeletedUserSettingSchema = z
  .object({ category: z.string(), key: z.string(), deleted: z.literal(true) })
  .openapi('DeletedUserSetting');
