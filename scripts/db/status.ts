import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import type pg from 'pg';
import { migrationsFolder } from './migrate';

/** A migration of the code (migrations/, in the order of its journal). */
export interface CodeMigration {
  tag: string;
  /** The journal's `when`: what drizzle records as `created_at` when it applies the migration. */
  when: number;
  /** SHA-256 of the SQL file, as drizzle records it. */
  hash: string;
}

/** A row of drizzle.__drizzle_migrations. */
export interface AppliedRow {
  hash: string;
  createdAt: number;
}

export interface MigrationStatus {
  /** Applied, and the same SQL as the code's file. */
  applied: CodeMigration[];
  /** Newer than the last applied one: the migrator applies these, in order. */
  pending: CodeMigration[];
  /** In the database, not in the code: the database was migrated by a newer version of the code. */
  unknown: AppliedRow[];
  /** Applied, but the file has changed since (a migration must never be edited once applied). */
  modified: CodeMigration[];
  /** Not applied, but older than the last applied one: the migrator would never apply it. */
  skipped: CodeMigration[];
}

/** The code's migrations, from migrations/meta/_journal.json and the SQL files (hashed as drizzle hashes them). */
export function codeMigrations(folder = migrationsFolder): CodeMigration[] {
  const journal = JSON.parse(readFileSync(join(folder, 'meta/_journal.json'), 'utf8')) as { entries: { tag: string; when: number }[] };
  const files = readMigrationFiles({ migrationsFolder: folder });
  return journal.entries.map((entry, i) => ({ tag: entry.tag, when: entry.when, hash: files[i]!.hash }));
}

/** The rows drizzle's migrator wrote; none when it never ran. Read-only. */
export async function appliedMigrations(pool: pg.Pool | pg.Client): Promise<AppliedRow[]> {
  const { rows: [journal] } = await pool.query<{ exists: boolean }>(
    `select to_regclass('drizzle.__drizzle_migrations') is not null as exists`,
  );
  if (!journal?.exists) return [];
  const { rows } = await pool.query<{ hash: string; created_at: string }>(
    'select hash, created_at::text from drizzle.__drizzle_migrations order by created_at',
  );
  return rows.map((row) => ({ hash: row.hash, createdAt: Number(row.created_at) }));
}

/**
 * Compares the database with the code the way drizzle's migrator decides: it applies every
 * migration whose `when` is later than the newest `created_at` recorded.
 */
export function compareMigrations(code: CodeMigration[], rows: AppliedRow[]): MigrationStatus {
  const last = rows.reduce<number | undefined>((max, row) => (max === undefined || row.createdAt > max ? row.createdAt : max), undefined);
  const byTime = new Map(rows.map((row) => [row.createdAt, row]));
  const status: MigrationStatus = { applied: [], pending: [], unknown: [], modified: [], skipped: [] };
  for (const migration of code) {
    const row = byTime.get(migration.when);
    if (row) {
      if (row.hash === migration.hash) status.applied.push(migration);
      else status.modified.push(migration);
    } else if (last !== undefined && migration.when <= last) {
      status.skipped.push(migration);
    } else {
      status.pending.push(migration);
    }
  }
  const known = new Set(code.map((migration) => migration.when));
  status.unknown = rows.filter((row) => !known.has(row.createdAt));
  return status;
}

/** What keeps a deploy from going ahead: the code and the database disagree about the past. */
export function migrationConflicts(status: MigrationStatus): string[] {
  return [
    ...status.unknown.map((row) => `the database has a migration the code does not know (recorded ${new Date(row.createdAt).toISOString()}, hash ${row.hash.slice(0, 12)}): it was migrated by a newer version; deploy that version or newer`),
    ...status.modified.map((m) => `${m.tag} was applied, but its file has changed since: migrations must not be edited once applied`),
    ...status.skipped.map((m) => `${m.tag} is not applied but older than the last applied migration: the migrator would never apply it`),
  ];
}

/** The status as lines for the terminal. */
export function describeStatus(status: MigrationStatus): string[] {
  const lines = [
    `Applied (${status.applied.length}):`,
    ...status.applied.map((m) => `  ${m.tag}`),
    `Pending (${status.pending.length}):`,
    ...status.pending.map((m) => `  ${m.tag}`),
  ];
  if (status.unknown.length > 0) lines.push(`Unknown to this code (${status.unknown.length}):`, ...status.unknown.map((r) => `  created_at ${r.createdAt} (${new Date(r.createdAt).toISOString()}), hash ${r.hash.slice(0, 12)}`));
  if (status.modified.length > 0) lines.push(`Changed since applied (${status.modified.length}):`, ...status.modified.map((m) => `  ${m.tag}`));
  if (status.skipped.length > 0) lines.push(`Never to be applied (${status.skipped.length}):`, ...status.skipped.map((m) => `  ${m.tag}`));
  return lines;
}

/**
 * The connection string of the database to migrate: DATABASE_URL_<ENV> for `--env <env>`
 * (DATABASE_URL_PRODUCTION, DATABASE_URL_STAGING), DATABASE_URL without one. Never a command-line
 * argument, so the password stays out of the process list and shell history.
 */
export function databaseUrlVariable(environment: string | undefined): string {
  return environment ? `DATABASE_URL_${environment.toUpperCase().replaceAll('-', '_')}` : 'DATABASE_URL';
}

/** `database "x" on host:port`, without the credentials. */
export function describeDatabase(url: string): string {
  if (!URL.canParse(url)) return 'a database (unparsable connection string)';
  const { hostname, port, pathname } = new URL(url);
  return `database "${decodeURIComponent(pathname.slice(1))}" on ${hostname}${port ? `:${port}` : ''}`;
}

/** `--env NAME` and boolean flags from argv; anything else is an error. */
export function parseArgs(argv: string[], flags: readonly string[]): { environment?: string; flags: Set<string> } {
  const seen = new Set<string>();
  let environment: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--env' || arg === '-e') {
      environment = argv[++i];
      if (!environment || !/^[a-z][a-z0-9-]*$/.test(environment)) throw new Error('--env needs an environment name such as staging or production');
    } else if (arg.startsWith('--env=')) {
      environment = arg.slice('--env='.length);
      if (!/^[a-z][a-z0-9-]*$/.test(environment)) throw new Error('--env needs an environment name such as staging or production');
    } else if (flags.includes(arg)) {
      seen.add(arg);
    } else {
      throw new Error(`unknown argument: ${arg}`);
    }
  }
  return { environment, flags: seen };
}
