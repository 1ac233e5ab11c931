import { spawn, spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Sql } from '@vr-tour/db';
import { uuidv7 } from '@vr-tour/protocol';
import { cpuBetween, sampleCpu, type CpuSample } from './cpu.js';

// The load of the collector benchmark: one seeded request sequence, replayed
// by a load generator at fixed concurrency. The default generator is wrk (C,
// light: on two cores shared with the system under test, every µs it spends
// is taken from the collector and PostgreSQL); BENCH_LOADGEN=autocannon uses
// the in-process Node generator instead. Either way (a) and (b) are sent the
// very same requests in the same order.

export interface LoadSettings {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  perBatch: number;
  generator: 'wrk' | 'autocannon';
}

export interface Figures {
  eventsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** µs of CPU per event answered 2xx, per process, over the measured window. */
  cpuPerEvent?: CpuSample;
  /** Bytes of WAL written per event answered 2xx over the measured window (rows, indexes, commits). */
  walBytesPerEvent?: number;
}

const VISITORS = 20_000;
export const HOT_SHARE = 0.8;
export const RETRY_SHARE = 0.05;
export const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const SCENE = '11111111-1111-4111-8111-111111111111';
const HOTSPOT = '22222222-2222-4222-8222-222222222222';
const REPLAY_SCRIPT = fileURLToPath(new URL('./replay.lua', import.meta.url));
/** Requests written per second of run for wrk: above any rate this machine reaches (the script says if it wraps). */
const MAX_REQUESTS_PER_SECOND = 6000;

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

interface TrafficRequest {
  body: string;
  ip: string;
}

/**
 * The request sequence: 20,000 visitors (80% on the hot tour), batches of
 * `perBatch` events with fresh UUIDv7 ids, 5% of requests a resend of an
 * earlier one. Deterministic for a given `base` time: both HTTP shapes see it.
 */
function makeTraffic(tours: string[], base: number, perBatch: number): () => TrafficRequest {
  const random = seeded(0x76727475);
  const bytes = () => Uint8Array.from({ length: 10 }, () => Math.floor(random() * 256));
  const visitors = Array.from({ length: VISITORS }, (_, i) => ({
    tour: random() < HOT_SHARE ? tours[0]! : tours[1 + Math.floor(random() * (tours.length - 1))]!,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
  }));
  const recent: TrafficRequest[] = [];
  let sent = 0;
  return () => {
    sent += 1;
    if (recent.length >= 100 && random() < RETRY_SHARE) return recent[Math.floor(random() * recent.length)]!;
    const visitor = visitors[Math.floor(random() * visitors.length)]!;
    const events: Record<string, unknown>[] = [];
    for (let i = 0; i < perBatch; i += 1) {
      const event = { id: uuidv7(base + sent, bytes()), offsetMs: (perBatch - i) * 1000 };
      if (i === 0) events.push({ ...event, type: 'view', sceneId: SCENE, embed: 'element' });
      else if (i % 4 === 1) events.push({ ...event, type: 'hotspot_click', sceneId: SCENE, hotspotId: HOTSPOT });
      else if (i === perBatch - 1) events.push({ ...event, type: 'performance', metric: 'LCP', value: 1800, rating: 'good' });
      else if (i === 5) events.push({ ...event, type: 'share', channel: 'copy' });
      else events.push({ ...event, type: 'scene_view', sceneId: SCENE });
    }
    const pick = { body: JSON.stringify({ v: 1, tourId: visitor.tour, events }), ip: visitor.ip };
    if (recent.length < 1000) recent.push(pick);
    else recent[Math.floor(random() * recent.length)] = pick;
    return pick;
  };
}

/** The sequence as replay.lua reads it: one request per line, `ip<TAB>body` (JSON has no raw tabs or newlines). */
async function writeSequence(file: string, next: () => TrafficRequest, count: number): Promise<void> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i += 1) {
    const { ip, body } = next();
    if (!out.write(`${ip}\t${body}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** Fails with what to do when wrk is missing, before anything is started. */
export function checkGenerator(settings: LoadSettings): void {
  if (settings.generator !== 'wrk') return;
  const probe = spawnSync('wrk', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new Error(
      'the collector benchmark drives its load with wrk, which is not installed: `apt-get install -y wrk` ' +
        '(or run with BENCH_LOADGEN=autocannon for the in-process Node generator, which takes more of the shared CPU)',
    );
  }
}

interface WrkSummary {
  requests: number;
  non2xx: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
  wrapped: number;
  cpuSeconds: number;
}

async function wrk(url: string, file: string, connections: number, seconds: number): Promise<WrkSummary> {
  // --timeout 10s: autocannon's default, so a slow baseline is measured, not counted as errors (wrk's default is 2 s).
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--timeout', '10s', '-s', REPLAY_SCRIPT, url, '--', file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  const line = output.split('\n').find((l) => l.startsWith('{"wrk"'));
  if (code !== 0 || !line) throw new Error(`wrk exited (${code}) without its summary:\n${output}`);
  return (JSON.parse(line) as { wrk: WrkSummary }).wrk;
}

/**
 * Warm-up, then the measured run; CPU of the server, PostgreSQL and the load
 * generator is sampled around the measured run only.
 */
export async function runLoad(
  settings: LoadSettings,
  server: { port: number; pid: number },
  postmaster: number,
  traffic: { tours: string[]; base: number; dir: string },
  sql: Sql,
): Promise<Figures> {
  const walPosition = async () => (await sql<{ lsn: string }[]>`SELECT pg_current_wal_lsn()::text AS lsn`)[0]!.lsn;
  let walStart = '';
  const url = `http://127.0.0.1:${server.port}`;
  const next = makeTraffic(traffic.tours, traffic.base, settings.perBatch);
  let twoXX: number;
  let non2xx: number;
  let errors: number;
  let seconds: number;
  let p50: number;
  let p99: number;
  let used: CpuSample;
  if (settings.generator === 'wrk') {
    // Two files from one sequence, so the measured run starts at the same request for every shape.
    const warmup = `${traffic.dir}/warmup.tsv`;
    const measured = `${traffic.dir}/measured.tsv`;
    await writeSequence(warmup, next, Math.max(1, settings.warmupSeconds * MAX_REQUESTS_PER_SECOND));
    await writeSequence(measured, next, settings.seconds * MAX_REQUESTS_PER_SECOND);
    if (settings.warmupSeconds > 0) await wrk(url, warmup, settings.connections, settings.warmupSeconds);
    walStart = await walPosition();
    const before = sampleCpu(server.pid, postmaster);
    const summary = await wrk(url, measured, settings.connections, settings.seconds);
    // The script measures wrk's own CPU over the run (its up-front formatting excluded).
    used = { ...cpuBetween(before, sampleCpu(server.pid, postmaster)), loadGenerator: summary.cpuSeconds };
    if (summary.wrapped > 0) process.stderr.write(`    warning: wrk replayed the sequence ${summary.wrapped} extra time(s); raise MAX_REQUESTS_PER_SECOND\n`);
    twoXX = summary.requests - summary.non2xx;
    ({ non2xx, errors, seconds, p50, p99 } = summary);
  } else {
    const result = await autocannonLoad(url, next, settings, server.pid, postmaster, async () => {
      walStart = await walPosition();
    });
    ({ twoXX, non2xx, errors, seconds, p50, p99, used } = result);
  }
  const [wal] = await sql<{ bytes: number }[]>`SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), ${walStart}::pg_lsn)::float8 AS bytes`;
  const events = twoXX * settings.perBatch;
  const perEvent = (s: number) => Math.round((s * 1e6) / Math.max(1, events));
  return {
    eventsPerSecond: Math.round(events / seconds),
    p50,
    p99,
    non2xx,
    errors,
    cpuPerEvent: { server: perEvent(used.server), postgres: perEvent(used.postgres), loadGenerator: perEvent(used.loadGenerator) },
    walBytesPerEvent: Math.round(wal!.bytes / Math.max(1, events)),
  };
}

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

async function autocannonLoad(
  url: string,
  next: () => TrafficRequest,
  settings: LoadSettings,
  serverPid: number,
  postmaster: number,
  beforeMeasuring: () => Promise<void>,
) {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  const setupRequest = (request: AutocannonRequest): AutocannonRequest => {
    const { ip, body } = next();
    return {
      ...request,
      method: 'POST',
      path: '/collect',
      headers: { 'content-type': 'text/plain;charset=UTF-8', 'user-agent': UA, 'x-forwarded-for': ip },
      body,
    };
  };
  const run = (duration: number) => autocannon({ url, connections: settings.connections, duration, requests: [{ setupRequest }] });
  if (settings.warmupSeconds > 0) await run(settings.warmupSeconds);
  await beforeMeasuring();
  const before = sampleCpu(serverPid, postmaster);
  const result = await run(settings.seconds);
  const used = cpuBetween(before, sampleCpu(serverPid, postmaster));
  return {
    twoXX: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    seconds: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    used,
  };
}
