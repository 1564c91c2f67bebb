import type { Database } from './lib/db';
import type { Logger } from './lib/logger';
import type { Env } from './env';

/** Who is calling: set by the `authenticate` middleware. */
export interface Actor {
  type: 'user' | 'api_key';
  userId: string;
  sessionId: string | null;
  /** The API key used, for `api_key` actors. */
  apiKeyId?: string;
  /** Effective `resource:action` permissions (wildcards allowed). */
  permissions: string[];
  roles: string[];
}

export interface AppVariables {
  requestId: string;
  /** The request's clock: one instant for the whole request (tests may set it, see requestContext). */
  now: Date;
  /**
   * The request's Drizzle client (neon-http: one HTTP round trip per query or batch), created on
   * first use: a request served from KV alone (a cached public read) never builds one.
   */
  db: () => Database;
  logger: Logger;
  actor: Actor | undefined;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
