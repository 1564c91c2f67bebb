import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

// This machine's PostgreSQL 15 (Debian cluster 15/main), started as .ci/postgres.sh does.

const CLUSTER_CONFIG = '/etc/postgresql/15/main';
const ROLE = 'aegisx_bench';
const DATABASE = 'aegisx_bench';

export interface BenchPostgres {
  databaseUrl: string;
  /** True when the benchmark started the cluster (it stops it again in `release`). */
  startedByUs: boolean;
  /** Stops the cluster if the benchmark started it; the bench database stays for inspection. */
  release(): void;
}

const run = (command: string, args: string[]) => spawnSync(command, args, { encoding: 'utf8' });
const asPostgres = (command: string, args: string[]) => run('runuser', ['-u', 'postgres', '--', command, ...args]);

function psql(sql: string): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', 'psql', '-qtAX', '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' }).trim();
}

/** Whether PostgreSQL 15 is installed here and can be managed (as root, with pg_ctlcluster). */
export function postgresAvailable(): boolean {
  return process.getuid?.() === 0 && existsSync(CLUSTER_CONFIG) && run('which', ['pg_ctlcluster']).status === 0;
}

const clusterOnline = () => run('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'status']).status === 0;

/**
 * Starts the cluster when it is stopped, and (re)creates the benchmark's own role and database,
 * empty: nothing else on the cluster is touched.
 */
export async function preparePostgres(log: (line: string) => void): Promise<BenchPostgres> {
  const startedByUs = !clusterOnline();
  if (startedByUs) {
    log('Starting PostgreSQL 15 (cluster 15/main)');
    const started = run('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'start']);
    if (started.status !== 0) throw new Error(`pg_ctlcluster start failed: ${started.stderr}`);
  }
  for (let i = 0; i < 60 && asPostgres('pg_isready', ['-q']).status !== 0; i++) await sleep(500);
  if (psql(`select 1 from pg_roles where rolname = '${ROLE}'`) !== '1') {
    psql(`create role ${ROLE} login password '${ROLE}'`);
  }
  psql(`drop database if exists ${DATABASE} with (force)`);
  psql(`create database ${DATABASE} owner ${ROLE}`);
  return {
    databaseUrl: `postgresql://${ROLE}:${ROLE}@127.0.0.1:5432/${DATABASE}`,
    startedByUs,
    release() {
      if (startedByUs) {
        log('Stopping PostgreSQL 15 (the benchmark started it)');
        run('pg_ctlcluster', ['--skip-systemctl-redirect', '15', 'main', 'stop']);
      }
    },
  };
}
