// Collector benchmark: (a) the vr-tour collector over HTTP, (b) an Umami-shaped
// per-request autocommit baseline over HTTP, (c) raw COPY of the same rows.
// One embedded PostgreSQL with fsync ON, 1,000 tours, 80% of traffic on one
// hot tour, 5% of batches retried, fixed concurrency, loopback only. (a) and
// (b) get the same seeded request sequence; (c) copies the rows (a) stored.
//
//   node --import tsx bench/collector/run.ts        (or: npm run bench:collector -w @vr-tour/bench)
//   BENCH_SECONDS=15 BENCH_CONNECTIONS=64 BENCH_EVENTS_PER_BATCH=10
//   BENCH_LOADGEN=autocannon (default wrk: `apt-get install -y wrk`), BENCH_PG_STATEMENTS=1,
//   BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (profiles the servers under test)
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createSql, migrate, startEmbeddedPostgres, type Sql } from '@vr-tour/db';
import { postmasterOf } from './cpu.js';
import { checkGenerator, HOT_SHARE, RETRY_SHARE, runLoad, type Figures, type LoadSettings } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PER_BATCH = Number(process.env.BENCH_EVENTS_PER_BATCH ?? 10);
const TOURS = 1000;
const COPY_CHUNK = 1000;
const COPY_STREAMS = 2;
/** The collector under test serves /metrics to this token only. */
const METRICS_TOKEN = 'collector-bench-scrape-token';

const root = fileURLToPath(new URL('../../', import.meta.url));
const loadSettings: LoadSettings = {
  seconds: SECONDS,
  warmupSeconds: WARMUP_SECONDS,
  connections: CONNECTIONS,
  perBatch: PER_BATCH,
  generator: process.env.BENCH_LOADGEN === 'autocannon' ? 'autocannon' : 'wrk',
};
checkGenerator(loadSettings);

function log(line: string) {
  process.stderr.write(`${line}\n`);
}

async function spawnServer(script: string, env: Record<string, string>, ready: RegExp): Promise<{ child: ChildProcess; port: number }> {
  // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the servers under test.
  const extra = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...extra, '--import', 'tsx', path.join(root, script)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited (${code}):\n${output}`)));
  });
  return { child, port };
}

async function stopServer(child: ChildProcess) {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const cpuLine = (f: Figures) =>
  f.cpuPerEvent
    ? `CPU per event: server ${f.cpuPerEvent.server} µs, PostgreSQL ${f.cpuPerEvent.postgres} µs, load generator ${f.cpuPerEvent.loadGenerator} µs; ${f.walBytesPerEvent} B of WAL`
    : '';

async function reset(sql: Sql) {
  await sql`TRUNCATE tour_analytics_events, user_sessions, tour_daily_stats`;
  await sql`UPDATE tours SET view_count = 0, like_count = 0, share_count = 0`;
  await sql`CHECKPOINT`;
}

async function copyRows(sql: Sql, lines: string[]): Promise<Figures> {
  const chunks: string[] = [];
  for (let i = 0; i < lines.length; i += COPY_CHUNK) chunks.push(`${lines.slice(i, i + COPY_CHUNK).join('\n')}\n`);
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: COPY_STREAMS }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        const t = performance.now();
        const writable = await sql`
          COPY tour_analytics_events (id, tour_id, session_id, type, scene_id, hotspot_id, occurred_at, received_at, data)
          FROM STDIN`.writable();
        await pipeline(Readable.from([chunk]), writable);
        latencies.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    eventsPerSecond: Math.round(lines.length / seconds),
    p50: Math.round(latencies[Math.floor(latencies.length * 0.5)]!),
    p99: Math.round(latencies[Math.floor(latencies.length * 0.99)]!),
    non2xx: 0,
    errors: 0,
  };
}

const dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-bench-collector-'));
log(`starting PostgreSQL (fsync on) in ${dataDir}`);
// BENCH_PG_STATEMENTS=1 also prints PostgreSQL's time per statement of (a) (pg_stat_statements; it costs a little itself).
const statements = process.env.BENCH_PG_STATEMENTS === '1';
const pg = await startEmbeddedPostgres({
  dataDir,
  settings: {
    fsync: 'on',
    synchronous_commit: 'on',
    max_connections: '200',
    ...(statements ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {}),
  },
});
const sql = createSql(pg.url, { max: 4 });
let postmaster = 0;
try {
  await migrate(sql);
  if (statements) await sql`CREATE EXTENSION IF NOT EXISTS pg_stat_statements`;
  postmaster = postmasterOf((await sql<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`)[0]!.pid);
  const [user] = await sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('bench@example.com') RETURNING id`;
  const tours = (
    await sql<{ id: string }[]>`
      INSERT INTO tours (user_id, title, status, visibility, published_at)
      SELECT ${user!.id}, 'Tour ' || g, 'published', 'public', now() FROM generate_series(1, ${TOURS}) g
      RETURNING id`
  ).map((row) => row.id);
  const [settings] = await sql`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync, version() AS version`;
  log(`PostgreSQL: ${String(settings!.version).split(',')[0]}, fsync=${settings!.fsync}, synchronous_commit=${settings!.sync}`);
  log(`load: ${CONNECTIONS} connections, ${PER_BATCH} events per request, ${SECONDS}s (+${WARMUP_SECONDS}s warm-up), ${TOURS} tours, ${HOT_SHARE * 100}% on one, ${RETRY_SHARE * 100}% retries, load from ${loadSettings.generator}`);

  // One request sequence for (a) and (b): same bodies, same ids, same order (the tables are emptied in between).
  const traffic = { tours, base: Date.now(), dir: dataDir };
  if (statements) await sql`SELECT pg_stat_statements_reset()`;

  // (a) the collector, as its own process.
  log('(a) collector …');
  const collector = await spawnServer(
    'packages/collector/src/main.ts',
    { DATABASE_URL: pg.url, PORT: '0', HOST: '127.0.0.1', TRUST_PROXY: 'loopback', METRICS_TOKEN, RATE_LIMIT: 'off', QUEUE_MAX_EVENTS: '50000' },
    /"port":(\d+),"msg":"collector listening"/,
  );
  const a = await runLoad(loadSettings, { port: collector.port, pid: collector.child.pid! }, postmaster, traffic, sql);
  const metrics = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
  const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1]);
  log(`    ${a.eventsPerSecond} events/s, p50 ${a.p50} ms, p99 ${a.p99} ms; ` +
    `${metric('collector_batch_events_count')} transactions, ${(metric('collector_batch_events_sum') / metric('collector_batch_events_count')).toFixed(0)} events each, ` +
    `${((metric('collector_commit_seconds_sum') / metric('collector_commit_seconds_count')) * 1000).toFixed(1)} ms each`);
  log(`    ${cpuLine(a)}`);
  if (statements) {
    const top = await sql<{ query: string; calls: number; ms: number; rows: number }[]>`
      SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 90) AS query, calls::int, round(total_exec_time)::int AS ms, rows::int
      FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`;
    for (const t of top) log(`    pg: ${String(t.ms).padStart(6)} ms ${String(t.calls).padStart(7)} calls ${String(t.rows).padStart(8)} rows  ${t.query}`);
  }
  await stopServer(collector.child);
  const [exact] = await sql`
    SELECT (SELECT sum(view_count)::int FROM tours) AS view_count,
           (SELECT count(*)::int FROM user_sessions WHERE viewed) AS viewed_sessions,
           (SELECT count(*)::int FROM tour_analytics_events) AS events`;
  log(`    stored ${exact!.events} events; view_count ${exact!.view_count} = sessions with a view ${exact!.viewed_sessions}`);
  // The same rows, for (c), as COPY text.
  const lines = (
    await sql<{ line: string }[]>`
      SELECT concat_ws(E'\t', id, tour_id, session_id, type, coalesce(scene_id::text, '\\N'), coalesce(hotspot_id::text, '\\N'),
                       occurred_at, received_at, data) AS line
      FROM tour_analytics_events`
  ).map((r) => r.line);
  await reset(sql);

  // (b) the Umami-shaped baseline, as its own process.
  if (process.env.BENCH_ONLY === 'a') throw new Error('BENCH_ONLY=a: stopping after (a)');
  log('(b) per-request autocommit baseline …');
  const baseline = await spawnServer('bench/collector/baseline-server.ts', { DATABASE_URL: pg.url }, /"port":(\d+)/);
  const b = await runLoad(loadSettings, { port: baseline.port, pid: baseline.child.pid! }, postmaster, traffic, sql);
  log(`    ${b.eventsPerSecond} events/s, p50 ${b.p50} ms, p99 ${b.p99} ms`);
  log(`    ${cpuLine(b)}`);
  await stopServer(baseline.child);
  const [over] = await sql`
    SELECT (SELECT sum(view_count)::int FROM tours) AS view_count,
           (SELECT count(DISTINCT session_id)::int FROM tour_analytics_events WHERE type = 'view') AS viewed_sessions`;
  log(`    view_count ${over!.view_count} vs ${over!.viewed_sessions} sessions with a view (over-counted by retries and repeat views)`);
  await reset(sql);

  // (c) COPY of the rows (a) stored.
  log(`(c) COPY of the same ${lines.length} rows, ${COPY_CHUNK} rows per COPY, ${COPY_STREAMS} streams …`);
  const c = await copyRows(sql, lines);
  log(`    ${c.eventsPerSecond} events/s`);

  const row = (name: string, f: Figures, unit: string) =>
    `| ${name} | ${f.eventsPerSecond.toLocaleString('en-US')} | ${f.p50} ms | ${f.p99} ms | ${unit} |`;
  console.log('');
  console.log('| shape | events/s | p50 | p99 | latency of |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(row('(a) vr-tour collector, group commit, HTTP', a, `one request of ${PER_BATCH} events`));
  console.log(row('(b) per-request autocommits (Umami-shaped), HTTP', b, `one request of ${PER_BATCH} events`));
  console.log(row('(c) raw COPY of the same rows', c, `one COPY of ${COPY_CHUNK} rows`));
  console.log('');
  console.log(`a/b = ${(a.eventsPerSecond / b.eventsPerSecond).toFixed(1)}x (target >= 15x)`);
  console.log(`c/a = ${(c.eventsPerSecond / a.eventsPerSecond).toFixed(2)}x (target <= 3x)`);
  console.log(`a = ${a.eventsPerSecond.toLocaleString('en-US')} events/s (target >= 20,000)`);
  console.log(`non-2xx: a ${a.non2xx}, b ${b.non2xx}; errors: a ${a.errors}, b ${b.errors}`);
  console.log(JSON.stringify({ a, b, c, ratios: { aOverB: a.eventsPerSecond / b.eventsPerSecond, cOverA: c.eventsPerSecond / a.eventsPerSecond } }));
} finally {
  await sql.end({ timeout: 5 });
  await pg.stop();
  await rm(dataDir, { recursive: true, force: true });
}
