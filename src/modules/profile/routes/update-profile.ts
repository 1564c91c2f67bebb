import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { UpdateProfileBodySchema, UserProfileSchema } from '../schemas';
import { updateProfile } from '../service';

export const updateProfileRoute = createRoute({
  method: 'put',
  path: '/api/users/profile',
  operationId: 'updateProfile',
  tags: ['Profile'],
  summary: 'Change the caller’s own profile fields',
  description:
    'Partial: name, firstName, lastName, bio, timezone (IANA), language (ISO 639-1), dateOfBirth, phone. Any other field ' +
    '(email, status, roles...) is rejected with 400 VALIDATION_ERROR and nothing changes. One atomic batch with the audit row.',
  ...protectedAccess('profile:update'),
  request: { body: { required: true, content: { 'application/json': { schema: UpdateProfileBodySchema } } } },
  responses: {
    200: jsonContent(successSchema(UserProfileSchema), 'The profile after the change'),
    ...errorResponses(400, 401, 403, 413, 415, 500, 503),
  },
});

export const updateProfileHandler: RouteHandler<typeof updateProfileRoute, AppEnv> = async (c) =>
  ok(c, await updateProfile(serviceContext(c), c.req.valid('json')));
