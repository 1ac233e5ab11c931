// Collector benchmark: (a) the vr-tour collector over HTTP, (b) an Umami-shaped
// per-request autocommit baseline over HTTP, (c) raw COPY of the same rows.
// One embedded PostgreSQL with fsync ON, 1,000 tours, 80% of traffic on one
// hot tour, 5% of batches retried, fixed concurrency, loopback only. (a) and
// (b) get the same seeded request sequence; (c) copies the rows (a) stored.
//
//   node --import tsx bench/collector/run.ts        (or: npm run bench:collector -w @vr-tour/bench)
//   BENCH_SECONDS=15 BENCH_CONNECTIONS=64 BENCH_EVENTS_PER_BATCH=10
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createSql, migrate, startEmbeddedPostgres, type Sql } from '@vr-tour/db';
import { uuidv7 } from '@vr-tour/protocol';

interface AutocannonResult {
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface AutocannonRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
}
type Autocannon = (options: {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (request: AutocannonRequest) => AutocannonRequest }[];
}) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 15);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const PER_BATCH = Number(process.env.BENCH_EVENTS_PER_BATCH ?? 10);
const TOURS = 1000;
const VISITORS = 20_000;
const HOT_SHARE = 0.8;
const RETRY_SHARE = 0.05;
const COPY_CHUNK = 1000;
const COPY_STREAMS = 2;

const root = fileURLToPath(new URL('../../', import.meta.url));
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SCENE = '11111111-1111-4111-8111-111111111111';
const HOTSPOT = '22222222-2222-4222-8222-222222222222';

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

/** mulberry32: a small seeded PRNG, so (a) and (b) get the very same requests in the same order. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * The request sequence: 20,000 visitors (80% on the hot tour), batches of
 * PER_BATCH events with fresh UUIDv7 ids, 5% of requests a resend of an
 * earlier one. Deterministic for a given `base` time: both HTTP shapes see it.
 */
function makeTraffic(tours: string[], base: number) {
  const random = seeded(0x76727475);
  const bytes = () => Uint8Array.from({ length: 10 }, () => Math.floor(random() * 256));
  const visitors = Array.from({ length: VISITORS }, (_, i) => ({
    tour: random() < HOT_SHARE ? tours[0]! : tours[1 + Math.floor(random() * (tours.length - 1))]!,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  }));
  const recent: { body: string; ip: string }[] = [];
  let sent = 0;
  return (request: AutocannonRequest): AutocannonRequest => {
    let pick: { body: string; ip: string };
    sent += 1;
    if (recent.length >= 100 && random() < RETRY_SHARE) {
      pick = recent[Math.floor(random() * recent.length)]!;
    } else {
      const visitor = visitors[Math.floor(random() * visitors.length)]!;
      const events: Record<string, unknown>[] = [];
      for (let i = 0; i < PER_BATCH; i += 1) {
        const event = { id: uuidv7(base + sent, bytes()), offsetMs: (PER_BATCH - i) * 1000 };
        if (i === 0) events.push({ ...event, type: 'view', sceneId: SCENE, embed: 'element' });
        else if (i % 4 === 1) events.push({ ...event, type: 'hotspot_click', sceneId: SCENE, hotspotId: HOTSPOT });
        else if (i === PER_BATCH - 1) events.push({ ...event, type: 'performance', metric: 'LCP', value: 1800, rating: 'good' });
        else if (i === 5) events.push({ ...event, type: 'share', channel: 'copy' });
        else events.push({ ...event, type: 'scene_view', sceneId: SCENE });
      }
      pick = { body: JSON.stringify({ v: 1, tourId: visitor.tour, events }), ip: visitor.ip };
      if (recent.length < 1000) recent.push(pick);
      else recent[Math.floor(random() * recent.length)] = pick;
    }
    return {
      ...request,
      method: 'POST',
      path: '/collect',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA, 'x-forwarded-for': pick.ip },
      body: pick.body,
    };
  };
}

interface Figures {
  eventsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function load(port: number, tours: string[], base: number): Promise<Figures> {
  const url = `http://127.0.0.1:${port}`;
  const setupRequest = makeTraffic(tours, base);
  if (WARMUP_SECONDS > 0) await autocannon({ url, connections: CONNECTIONS, duration: WARMUP_SECONDS, requests: [{ setupRequest }] });
  const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, requests: [{ setupRequest }] });
  return {
    eventsPerSecond: Math.round((result['2xx'] * PER_BATCH) / result.duration),
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

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
const pg = await startEmbeddedPostgres({ dataDir, settings: { fsync: 'on', synchronous_commit: 'on', max_connections: '200' } });
const sql = createSql(pg.url, { max: 4 });
try {
  await migrate(sql);
  const [user] = await sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('bench@example.com') RETURNING id`;
  const tours = (
    await sql<{ id: string }[]>`
      INSERT INTO tours (user_id, title, status, visibility, published_at)
      SELECT ${user!.id}, 'Tour ' || g, 'published', 'public', now() FROM generate_series(1, ${TOURS}) g
      RETURNING id`
  ).map((row) => row.id);
  const [settings] = await sql`SELECT current_setting('fsync') AS fsync, current_setting('synchronous_commit') AS sync, version() AS version`;
  log(`PostgreSQL: ${String(settings!.version).split(',')[0]}, fsync=${settings!.fsync}, synchronous_commit=${settings!.sync}`);
  log(`load: ${CONNECTIONS} connections, ${PER_BATCH} events per request, ${SECONDS}s (+${WARMUP_SECONDS}s warm-up), ${TOURS} tours, ${HOT_SHARE * 100}% on one, ${RETRY_SHARE * 100}% retries`);

  // One request sequence for (a) and (b): same bodies, same ids, same order (the tables are emptied in between).
  const trafficBase = Date.now();

  // (a) the collector, as its own process.
  log('(a) collector …');
  const collector = await spawnServer(
    'packages/collector/src/main.ts',
    { DATABASE_URL: pg.url, PORT: '0', HOST: '127.0.0.1', TRUST_PROXY: 'true', RATE_LIMIT: 'off', QUEUE_MAX_EVENTS: '50000' },
    /"msg":"collector listening","port":(\d+)/,
  );
  const a = await load(collector.port, tours, trafficBase);
  const metrics = await (await fetch(`http://127.0.0.1:${collector.port}/metrics`)).text();
  const metric = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1]);
  log(`    ${a.eventsPerSecond} events/s, p50 ${a.p50} ms, p99 ${a.p99} ms; ` +
    `${metric('collector_batch_events_count')} transactions, ${(metric('collector_batch_events_sum') / metric('collector_batch_events_count')).toFixed(0)} events each, ` +
    `${((metric('collector_commit_seconds_sum') / metric('collector_commit_seconds_count')) * 1000).toFixed(1)} ms each`);
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
  const b = await load(baseline.port, tours, trafficBase);
  log(`    ${b.eventsPerSecond} events/s, p50 ${b.p50} ms, p99 ${b.p99} ms`);
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
