import postgres from 'postgres';
import { startEmbeddedPostgres, type EmbeddedServer } from './embedded.js';
import { migrate } from './migrate.js';

export type Sql = postgres.Sql<Record<string, never>>;

/** A pool or a transaction: query helpers take either. */
export type Db = Sql | postgres.TransactionSql<Record<string, never>>;

export interface ConnectOptions {
  /** A PostgreSQL URL; without one an embedded server is started in `dataDir`. */
  databaseUrl?: string | undefined;
  /** Folder of the embedded cluster (default `./data/postgres`). */
  dataDir?: string;
  /** Pool size. */
  max?: number;
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL's own output (embedded server only). */
  log?: (line: string) => void;
  /** Things an operator should know: migrations applied, an orphaned server stopped. */
  notice?: (line: string) => void;
}

export interface Database {
  readonly sql: Sql;
  /** The URL other processes (a standalone collector, a test) can use. */
  readonly url: string;
  /** True when this process started the server and will stop it on close. */
  readonly embedded: boolean;
  close(): Promise<void>;
}

/** Opens a pool to a postgres URL with the project's conventions. */
export function createSql(url: string, options: { max?: number; onnotice?: (notice: unknown) => void } = {}): Sql {
  return postgres(url, {
    max: options.max ?? 10,
    // Column names stay snake_case: SQL is the source of truth, mapping happens at the edges.
    onnotice: options.onnotice ?? (() => {}),
    connect_timeout: 10,
    idle_timeout: 60,
    connection: { application_name: 'vr-tour' },
    types: {
      // bigint counters fit comfortably in a JS number for any real tour.
      bigint: { to: 20, from: [20], serialize: (value: number) => String(value), parse: (value: string) => Number(value) },
    },
  }) as unknown as Sql;
}

/**
 * Connects to `DATABASE_URL` when given, else starts the embedded server,
 * then migrates. The returned `close()` ends the pool and stops an embedded server.
 */
export async function connect(options: ConnectOptions = {}): Promise<Database> {
  const log = options.log ?? (() => {});
  const notice = options.notice ?? log;
  let server: EmbeddedServer | undefined;
  let url = options.databaseUrl;
  if (!url) {
    server = await startEmbeddedPostgres({ dataDir: options.dataDir ?? './data/postgres', log, notice });
    url = server.url;
  }
  const sql = createSql(url, { max: options.max ?? 10 });
  try {
    if (options.migrate !== false) {
      const applied = await migrate(sql);
      for (const name of applied) notice(`migration applied: ${name}`);
    }
  } catch (error) {
    await sql.end({ timeout: 5 });
    await server?.stop();
    throw error;
  }
  return {
    sql,
    url,
    embedded: server !== undefined,
    async close() {
      await sql.end({ timeout: 5 });
      await server?.stop();
    },
  };
}
