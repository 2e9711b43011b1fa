// A throwaway PostgreSQL 15 + PostGIS cluster from Debian packages (operations.md §7.1). Used by
// the spec runner, the demo and the benchmarks; never by production code.

import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const POSTGIS_LIB = '/usr/lib/postgresql/15/lib/postgis-3.so';

export interface Cluster {
  port: number;
  dataDir: string;
  /** Admin URL (database `postgres`). */
  url: string;
  urlFor(database: string): string;
  stop(): void;
}

/** Installs postgresql-15 + postgis from Debian packages when missing (root only). */
export function ensurePostgis(log: (line: string) => void = () => undefined): void {
  if (existsSync(`${PG_BIN}/initdb`) && existsSync(POSTGIS_LIB)) return;
  if (process.getuid?.() !== 0) throw new Error(`PostGIS is missing (${POSTGIS_LIB}); install postgresql-15-postgis-3 as root`);
  log('installing postgresql-15 and postgresql-15-postgis-3 from Debian packages…');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'postgresql-15', 'postgresql-15-postgis-3'], { stdio: 'inherit', env });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function asPostgres(cmd: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const [bin, argv] = root ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const result = spawnSync(bin, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${path.basename(cmd)} failed: ${result.stderr || result.stdout}`);
}

export async function startCluster(options: { port?: number; log?: (line: string) => void } = {}): Promise<Cluster> {
  ensurePostgis(options.log);
  const port = options.port ?? (await freePort());
  // Under /tmp (not a 0700 home) so the postgres user can traverse it.
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'nrf-pg-'));
  chmodSync(dataDir, 0o700);
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres:postgres', dataDir]);
  asPostgres(`${PG_BIN}/initdb`, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${dataDir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=256MB -c work_mem=32MB`;
  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', dataDir, '-o', opts, '-l', path.join(dataDir, 'server.log'), '-w', 'start']);
  const urlFor = (database: string): string => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    port,
    dataDir,
    url: urlFor('postgres'),
    urlFor,
    stop(): void {
      if (stopped) return;
      stopped = true;
      try {
        asPostgres(`${PG_BIN}/pg_ctl`, ['-D', dataDir, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already gone
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Restarts the server in place (chaos runs restart PostgreSQL under load). The log file is named
 * again: without `-l` the new server inherits pg_ctl's stdout, and spawnSync waits for that pipe
 * to close — which the server never does — so the call would block for ever.
 */
export function restartCluster(cluster: Cluster): void {
  asPostgres(`${PG_BIN}/pg_ctl`, ['-D', cluster.dataDir, '-l', path.join(cluster.dataDir, 'server.log'), '-m', 'fast', '-w', 'restart']);
}
