import { z } from '@hono/zod-openapi';
import { DataTypeSchema, hasNul, NO_NUL_MESSAGE, noNul, TypedValueInputSchema, TypedValueSchema } from '../../lib/typed-value';

export const SettingCategorySchema = z
  .string()
  .min(1)
  .max(50)
  .regex(/^[a-z][a-z0-9_]*$/, 'Lower-case letters, digits and _')
  .openapi({ example: 'editor' });
export const SettingKeySchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z][a-z0-9_.-]*$/, 'Lower-case letters, digits, _, . and -')
  .openapi({ example: 'tab_size' });

const RulesSchema = z
  .record(z.string(), z.unknown())
  .refine((rules) => JSON.stringify(rules).length <= 10_000, { message: 'At most 10,000 characters' })
  .refine((rules) => !hasNul(rules), { message: NO_NUL_MESSAGE })
  .openapi({ description: 'A JSON Schema (draft 2020-12) the value must satisfy; local `$ref`s only', example: { type: 'integer', minimum: 1, maximum: 8 } });

export const SettingTemplateSchema = z
  .object({
    id: z.uuid(),
    category: z.string(),
    key: z.string(),
    defaultValue: TypedValueSchema.nullable(),
    dataType: DataTypeSchema,
    description: z.string().nullable(),
    validationRules: z.record(z.string(), z.unknown()).nullable(),
    userConfigurable: z.boolean().openapi({ description: 'false: users cannot change the setting (403 SETTING_NOT_CONFIGURABLE)' }),
    required: z.boolean(),
    createdAt: z.iso.datetime({ offset: true }),
    updatedAt: z.iso.datetime({ offset: true }),
  })
  .openapi('SettingTemplate');

export const CreateSettingTemplateBodySchema = z
  .strictObject({
    category: SettingCategorySchema,
    key: SettingKeySchema,
    dataType: DataTypeSchema,
    defaultValue: TypedValueInputSchema.openapi({ description: 'Of the data type, and satisfying the rules' }),
    description: z.string().max(1000).refine(noNul, NO_NUL_MESSAGE).nullable().optional(),
    validationRules: RulesSchema.nullable().optional(),
    userConfigurable: z.boolean().optional(),
    required: z.boolean().optional(),
  })
  .openapi('CreateSettingTemplateRequest');

export const UpdateSettingTemplateBodySchema = z
  .strictObject({
    dataType: DataTypeSchema.optional(),
    defaultValue: TypedValueInputSchema.optional(),
    description: z.string().max(1000).refine(noNul, NO_NUL_MESSAGE).nullable().optional(),
    validationRules: RulesSchema.nullable().optional(),
    userConfigurable: z.boolean().optional(),
    required: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'Nothing to change' })
  .openapi('UpdateSettingTemplateRequest');

export const TemplateIdParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '6d8e2f1a-3b4c-4d5e-8f9a-0b1c2d3e4f5a' }),
});

export const TemplateListQuerySchema = z.strictObject({ category: SettingCategorySchema.optional() });

export const DeletedTemplateSchema = z.object({ id: z.uuid(), deleted: z.literal(true) }).openapi('DeletedSettingTemplate');
