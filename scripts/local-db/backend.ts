import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg, { Pool, type PoolClient, type PoolConfig } from 'pg';
import type { Executor, TypeInfo } from './neon-protocol';

export type BackendKind = 'pglite' | 'postgres';

export interface Backend extends Executor {
  kind: BackendKind;
  /** A Postgres URL of the database itself, for tools that speak the Postgres protocol (migrations, db:status, deploy). */
  postgresUrl: string;
  close(): Promise<void>;
}

export interface BackendOptions {
  databaseUrl?: string;
  dataDir?: string;
  log: (line: string) => void;
}

/**
 * A pool on a real Postgres (`databaseUrl`) or on an embedded PGlite served over a local TCP port.
 * Every connection runs in UTC, as Neon's do.
 */
export async function openBackend({ databaseUrl, dataDir, log }: BackendOptions): Promise<Backend> {
  const backend = databaseUrl
    ? openPostgres(databaseUrl, log)
    : await openPglite(dataDir, log);
  try {
    await backend.pool.query('select 1');
  } catch (error) {
    await backend.close();
    throw error;
  }
  return backend;
}

function openPostgres(connectionString: string, log: BackendOptions['log']): Backend {
  const pool = createPool({ connectionString, max: 10 }, log);
  return {
    kind: 'postgres',
    pool,
    postgresUrl: connectionString,
    types: new Map<number, TypeInfo>(),
    // As Neon's proxy does when its client goes away: cancel the statement from another connection.
    async cancelRunning(client: PoolClient) {
      const pid = (client as PoolClient & { processID?: number }).processID;
      if (!pid) return 'no backend pid to cancel';
      const canceller = new pg.Client({ connectionString });
      await canceller.connect();
      try {
        const { rows } = await canceller.query<{ cancelled: boolean }>('select pg_cancel_backend($1) as cancelled', [pid]);
        return rows[0]?.cancelled ? `pg_cancel_backend(${pid})` : `pg_cancel_backend(${pid}) found nothing to cancel`;
      } finally {
        await canceller.end();
      }
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string | undefined, log: BackendOptions['log']): Promise<Backend> {
  // PGlite creates only the last folder of dataDir.
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const pglite = await PGlite.create(dataDir);
  // PGlite is one Postgres session: the socket server queues every protocol message into it, so the
  // pool holds a single connection (a batch keeps it from BEGIN to COMMIT). The spare socket slots
  // only absorb a reconnect racing the close of the previous socket.
  const socketServer = new PGLiteSocketServer({ db: pglite, port: 0, maxConnections: 4 });
  await socketServer.start();
  const [host, port] = socketServer.getServerConn().split(':');
  const pool = createPool(
    { host, port: Number(port), user: 'postgres', database: 'postgres', max: 1, idleTimeoutMillis: 0 },
    log,
  );
  return {
    kind: 'pglite',
    pool,
    postgresUrl: `postgresql://postgres@${host}:${port}/postgres`,
    types: new Map<number, TypeInfo>(),
    // PGlite runs each statement synchronously on Node's main thread and has no second backend to
    // send a cancel from: a running statement always finishes. The closest real thing: as soon as it
    // returns, nothing more runs and an open batch is rolled back.
    cancelRunning: async () => 'PGlite cannot interrupt a running statement: it finishes, then the rest is skipped',
    async close() {
      await pool.end();
      await socketServer.stop();
      await pglite.close();
    },
  };
}

function createPool(config: PoolConfig, log: BackendOptions['log']): Pool {
  // pg-pool awaits onConnect before it hands the new client out.
  const pool = new Pool({ ...config, onConnect: (client) => client.query("SET TIME ZONE 'UTC'") });
  pool.on('error', (error) => log(`local-db: idle database connection failed: ${error.message}`));
  return pool;
}
