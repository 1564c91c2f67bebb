import { sql } from 'drizzle-orm';
import type { Database } from '../../lib/db';

export interface DatabaseHealth {
  status: 'up' | 'down';
  latencyMs: number;
}

/** One `select 1` round trip, timed. Never throws: a failure reports the database as down. */
export async function checkDatabase(db: Database): Promise<DatabaseHealth> {
  const started = performance.now();
  try {
    await db.execute(sql`select 1`);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch {
    return { status: 'down', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  }
}
