import { z } from '@hono/zod-openapi';

export const PermissionNameSchema = z
  .string()
  .max(151)
  .regex(/^(\*|[a-z][a-z0-9_-]*):(\*|[a-z][a-z0-9_-]*)$/, 'resource:action, lower case (or *)')
  .openapi({ example: 'users:read' });

export const IdParamsSchema = z.object({ id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '7a3c1e0f-2b4d-4e6f-8a9b-0c1d2e3f4a5b' }) });

export const RoleSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    description: z.string().nullable(),
    system: z.boolean().openapi({ description: 'admin and user: cannot be deleted or renamed' }),
    permissions: z.array(z.string()),
    userCount: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Role');

const roleName = z.string().trim().min(2).max(50).regex(/^[a-z][a-z0-9_-]*$/, 'lower case letters, digits, _ and -');

export const CreateRoleSchema = z
  .strictObject({ name: roleName, description: z.string().trim().max(255).optional(), permissions: z.array(PermissionNameSchema).max(200).optional() })
  .openapi('CreateRoleRequest');

export const UpdateRoleSchema = z
  .strictObject({ name: roleName.optional(), description: z.string().trim().max(255).nullable().optional() })
  .refine((v) => Object.keys(v).length > 0, { message: 'Nothing to update' })
  .openapi('UpdateRoleRequest');

export const RolePermissionsSchema = z.strictObject({ permissions: z.array(PermissionNameSchema).max(200) }).openapi('RolePermissionsRequest');

export const PermissionSchema = z
  .object({ id: z.uuid(), resource: z.string(), action: z.string(), name: z.string(), description: z.string().nullable(), roleCount: z.number().int(), createdAt: z.string() })
  .openapi('Permission');

const token = z.string().trim().min(1).max(50).regex(/^(\*|[a-z][a-z0-9_-]*)$/, 'lower case letters, digits, _ and - (or *)');
export const CreatePermissionSchema = z
  .strictObject({ resource: token, action: token, description: z.string().trim().max(255).optional() })
  .openapi('CreatePermissionRequest');

export const UserRoleParamsSchema = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' } }),
  roleId: z.uuid().openapi({ param: { name: 'roleId', in: 'path' } }),
});

export const AssignRoleSchema = z.strictObject({ roleId: z.uuid() }).openapi('AssignRoleRequest');
