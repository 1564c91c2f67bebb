import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { created, successSchema } from '../../../lib/envelope';
import { versionEtag } from '../../../lib/etag';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { CreateThemeBodySchema, ThemeSchema } from '../schemas';
import { createTheme } from '../service';

export const createThemeRoute = createRoute({
  method: 'post',
  path: '/api/admin/themes',
  operationId: 'createTheme',
  tags: ['Themes'],
  summary: 'Create a theme (admin)',
  description: 'A new default replaces the old one atomically. Written through to the edge cache. 409 when the name exists.',
  ...protectedAccess('system:settings'),
  request: { body: { required: true, content: { 'application/json': { schema: CreateThemeBodySchema } } } },
  responses: {
    201: jsonContent(successSchema(ThemeSchema), 'Created'),
    ...errorResponses(400, 401, 403, 409, 413, 415, 500, 503),
  },
});

export const createThemeHandler: RouteHandler<typeof createThemeRoute, AppEnv> = async (c) => {
  const { theme, version } = await createTheme(serviceContext(c), c.req.valid('json'));
  c.header('ETag', versionEtag(version));
  return created(c, theme);
};
