import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import { getPath } from 'hono/utils/url';
import type { AppEnv } from './context';
import type { Env } from './env';
import { PathMemo } from './lib/path-memo';

/** What the Worker serves a request with: the global middleware and the routes of one area. */
export type AreaApp = Pick<Hono<AppEnv>, 'fetch' | 'routes'>;

// Module routers differ in their route types; an area only mounts them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Routes = OpenAPIHono<AppEnv, any, any>;

interface Area {
  readonly name: string;
  /**
   * The paths it serves, as prefixes compared segment by segment; `*` stands for any one segment
   * (an id). A request goes to the area with the longest matching prefix, a fixed segment before
   * `*`, as the routers match (`/api/users/profile` before `/api/users/{id}`).
   */
  readonly prefixes: readonly string[];
  readonly load: (environment: Env['APP_ENV']) => Promise<AreaApp>;
}

/** An area serving some modules' routes: the shell (src/shell.ts) with them mounted, in order. */
function modules(load: (environment: Env['APP_ENV']) => Promise<readonly Routes[]>) {
  return async (environment: Env['APP_ENV']): Promise<AreaApp> => {
    const [{ createShell, finish }, routers] = await Promise.all([import('./shell'), load(environment)]);
    const app = createShell();
    for (const routes of routers) app.route('/', routes);
    finish(app);
    return app;
  };
}

/**
 * The API by area. Each area's modules, and the shell they share, are imported the first time an
 * isolate serves one of its paths: the Worker's start-up evaluates this table only, and a request
 * evaluates only the shell and its area's route definitions, schemas and services (issue 19:
 * start-up was 125 ms of CPU with every route built up front). test/contract/areas.test.ts checks
 * that every documented operation's path goes to the area whose modules define it.
 */
export const AREAS: readonly Area[] = [
  { name: 'health', prefixes: ['/health', '/api/info', '/api/ping'], load: modules(async () => [(await import('./modules/health')).healthRoutes]) },
  {
    name: 'auth',
    prefixes: ['/api/auth'],
    load: modules(async () => {
      const [auth, accountSecurity] = await Promise.all([import('./modules/auth'), import('./modules/account-security')]);
      return [auth.authRoutes, accountSecurity.accountSecurityRoutes];
    }),
  },
  {
    name: 'dev',
    prefixes: ['/api/dev'],
    // Only in an explicitly local environment: a missing or unknown APP_ENV gets the production routes.
    load: modules(async (environment) =>
      (await import('./lib/config')).isLocalEnvironment(environment) ? [(await import('./modules/account-security')).devOutboxRoutes] : [],
    ),
  },
  { name: 'navigation', prefixes: ['/api/navigation'], load: modules(async () => [(await import('./modules/navigation')).navigationRoutes]) },
  { name: 'system-settings', prefixes: ['/api/system-settings'], load: modules(async () => [(await import('./modules/system-settings')).systemSettingsRoutes]) },
  { name: 'themes', prefixes: ['/api/themes', '/api/admin/themes'], load: modules(async () => [(await import('./modules/themes')).themesRoutes]) },
  { name: 'profile', prefixes: ['/api/users/profile'], load: modules(async () => [(await import('./modules/profile')).profileRoutes]) },
  { name: 'preferences', prefixes: ['/api/users/preferences', '/api/settings'], load: modules(async () => [(await import('./modules/preferences')).preferencesRoutes]) },
  {
    name: 'user-settings',
    prefixes: ['/api/user-settings', '/api/users/*/settings'],
    load: modules(async () => [(await import('./modules/user-settings')).userSettingsRoutes]),
  },
  { name: 'setting-templates', prefixes: ['/api/setting-templates'], load: modules(async () => [(await import('./modules/setting-templates')).settingTemplatesRoutes]) },
  { name: 'api-keys', prefixes: ['/api/api-keys', '/api/admin/api-keys'], load: modules(async () => [(await import('./modules/api-keys')).apiKeysRoutes]) },
  { name: 'rbac', prefixes: ['/api/roles', '/api/permissions', '/api/users/*/roles'], load: modules(async () => [(await import('./modules/rbac')).rbacRoutes]) },
  { name: 'audit', prefixes: ['/api/audit-logs', '/api/security-events', '/api/users/me/activity'], load: modules(async () => [(await import('./modules/audit')).auditRoutes]) },
  {
    name: 'avatars',
    prefixes: ['/api/avatars', '/api/users/avatar', '/api/users/*/avatar'],
    load: modules(async () => [(await import('./modules/avatars')).avatarsRoutes]),
  },
  { name: 'notifications', prefixes: ['/api/notifications'], load: modules(async () => [(await import('./modules/notifications')).notificationsRoutes]) },
  { name: 'jobs', prefixes: ['/api/admin/jobs'], load: modules(async () => [(await import('./modules/jobs')).jobsRoutes]) },
  { name: 'users', prefixes: ['/api/users'], load: modules(async () => [(await import('./modules/users')).usersRoutes]) },
  {
    name: 'docs',
    prefixes: ['/api/openapi.json', '/api/docs'],
    // The document is generated from every route: this area is the whole API (src/app.ts).
    load: async (environment) => (await import('./app')).createApp({ environment }),
  },
];

/** Paths of no area: the global middleware (CORS preflights, the rate limit) and a 404. */
const NO_AREA: Area = { name: 'none', prefixes: [], load: modules(async () => []) };

interface Node {
  area?: Area;
  readonly fixed: Map<string, Node>;
  any?: Node;
}

const newNode = (): Node => ({ fixed: new Map() });

const root = newNode();
for (const area of AREAS) {
  for (const prefix of area.prefixes) {
    let node = root;
    for (const segment of prefix.split('/').slice(1)) {
      if (segment === '*') node = node.any ??= newNode();
      else {
        let next = node.fixed.get(segment);
        if (!next) node.fixed.set(segment, (next = newNode()));
        node = next;
      }
    }
    if (node.area) throw new Error(`${prefix} is claimed by the ${node.area.name} and ${area.name} areas`);
    node.area = area;
  }
}

interface Match {
  area: Area;
  depth: number;
}

/** The deepest area-bearing node along `segments`; at equal depth a fixed segment wins over `*`. */
function deepest(node: Node, segments: readonly string[], index: number): Match | undefined {
  let best: Match | undefined = node.area ? { area: node.area, depth: index } : undefined;
  if (index < segments.length) {
    const segment = segments[index]!;
    const fixed = node.fixed.get(segment);
    const viaFixed = fixed && deepest(fixed, segments, index + 1);
    const viaAny = node.any && segment !== '' ? deepest(node.any, segments, index + 1) : undefined;
    const deeper = viaAny && (!viaFixed || viaAny.depth > viaFixed.depth) ? viaAny : viaFixed;
    if (deeper && (!best || deeper.depth > best.depth)) best = deeper;
  }
  return best;
}

/** The area that serves a path (`NO_AREA` when none does). */
export function areaOf(path: string): Area {
  return deepest(root, path.split('/').slice(1), 0)?.area ?? NO_AREA;
}

const areaByPath = new PathMemo<Area>();
const loading = new Map<string, Promise<AreaApp>>();
const loaded = new Map<string, AreaApp>();

function load(environment: Env['APP_ENV'], area: Area): Promise<AreaApp> {
  const key = `${environment}\u0000${area.name}`;
  let app = loading.get(key);
  if (!app) {
    app = area.load(environment).then(
      (built) => {
        loaded.set(key, built);
        return built;
      },
      (error: unknown) => {
        loading.delete(key);
        throw error;
      },
    );
    loading.set(key, app);
  }
  return app;
}

/** Serves a request with its area's app, built once per isolate and APP_ENV. */
export function serve(request: Request, env: Env, ctx: ExecutionContext): Response | Promise<Response> {
  const path = getPath(request);
  const area = areaByPath.get(path, () => areaOf(path));
  const app = loaded.get(`${env.APP_ENV}\u0000${area.name}`);
  return app ? app.fetch(request, env, ctx) : load(env.APP_ENV, area).then((built) => built.fetch(request, env, ctx));
}
