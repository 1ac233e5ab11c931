import { request } from 'node:http';
import type { Sql } from '@vr-tour/db';

/** The fuzz runs' seed and size: fixed, so CI runs the same cases; FUZZ_SEED/FUZZ_RUNS explore more. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_240_611);
export const runsPer = (defaultRuns: number) => Number(process.env.FUZZ_RUNS ?? defaultRuns);

/** Longer than any honest answer here takes; a request still open then is a hang. */
const REQUEST_TIMEOUT_MS = 15_000;

export interface FuzzRequest {
  method: string;
  /** Path and query, percent-encoded as sent. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer | string;
  /** What was malformed, for the report. */
  poison: string;
}

export interface FuzzAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * Sends the request byte for byte (node:http, not fetch, which would refuse
 * or normalize some of what is sent), or answers `timeout`.
 */
export function send(baseUrl: string, fuzz: FuzzRequest): Promise<FuzzAnswer | 'timeout'> {
  const url = new URL(baseUrl);
  const body = fuzz.body === undefined ? undefined : Buffer.from(fuzz.body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        method: fuzz.method,
        path: fuzz.path,
        headers: { ...fuzz.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, contentType: res.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => {
      req.destroy();
      resolve('timeout');
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Columns that a read may move (a session's or token's last use): not a write by the request. */
const VOLATILE_COLUMNS = new Set(['last_seen_at', 'expires_at', 'last_used_at']);

/**
 * One statement that answers a checksum of every table's rows (count and a hash
 * of each row's text, volatile columns left out), table by table.
 */
export async function checksumStatement(sql: Sql): Promise<string> {
  const columns = await sql<{ table_name: string; column_name: string }[]>`
    SELECT c.relname AS table_name, a.attname AS column_name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
    ORDER BY c.relname, a.attnum`;
  const tables = new Map<string, string[]>();
  for (const { table_name: table, column_name: column } of columns) {
    if (!VOLATILE_COLUMNS.has(column)) tables.set(table, [...(tables.get(table) ?? []), column]);
  }
  return [...tables]
    .map(([table, cols]) => {
      const row = `row(${cols.map((col) => `"${col}"`).join(', ')})::text`;
      return `SELECT '${table}' AS t, count(*)::int8 AS n, coalesce(sum(hashtextextended(${row}, 0)), 0)::text AS h FROM "${table}"`;
    })
    .join(' UNION ALL ');
}

export async function checksum(sql: Sql, statement: string): Promise<Map<string, string>> {
  const rows = await sql.unsafe<{ t: string; n: string; h: string }[]>(statement);
  return new Map(rows.map((row) => [row.t, `${row.n}:${row.h}`]));
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([table, sum]) => before.get(table) !== sum).map(([table]) => table);
}

/** What the fuzzer saw for one target: cases run, answers by status class, and each broken promise. */
export class Tally {
  cases = 0;
  byStatus = new Map<string, number>();
  fivexx = 0;
  timeouts = 0;
  violations: string[] = [];

  record(fuzz: FuzzRequest, answer: FuzzAnswer | 'timeout', changed: string[]): void {
    this.cases += 1;
    const problems: string[] = [];
    if (answer === 'timeout') {
      this.timeouts += 1;
      problems.push('no answer (timeout)');
    } else {
      const status = `${Math.floor(answer.status / 100)}xx`;
      this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
      if (answer.status >= 500) {
        this.fivexx += 1;
        problems.push(`answered ${answer.status}`);
      } else if (answer.status >= 400 && !answer.contentType.startsWith('application/problem+json')) {
        problems.push(`answered ${answer.status} as ${answer.contentType || 'no content type'}, not problem+json`);
      }
    }
    if (changed.length) problems.push(`wrote rows (${changed.join(', ')})`);
    if (problems.length) {
      const shown = typeof fuzz.body === 'string' || Buffer.isBuffer(fuzz.body) ? Buffer.from(fuzz.body).toString('utf8') : '';
      this.violations.push(
        `${problems.join('; ')} — poison: ${fuzz.poison} — ${fuzz.method} ${fuzz.path.slice(0, 200)}` +
          (shown ? ` body: ${JSON.stringify(shown.length > 300 ? `${shown.slice(0, 300)}…` : shown)}` : '') +
          (answer !== 'timeout' && answer.status >= 400 ? ` answer: ${answer.body.slice(0, 200)}` : ''),
      );
    }
  }

  summary(name: string): string {
    const statuses = [...this.byStatus].sort().map(([status, count]) => `${status} ${count}`).join(', ');
    return `${name.padEnd(44)} cases ${String(this.cases).padStart(4)}  5xx ${this.fivexx}  hangs ${this.timeouts}  violations ${this.violations.length}  (${statuses})`;
  }
}
