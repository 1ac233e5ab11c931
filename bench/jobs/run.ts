// AI jobs benchmark, against the real server process (bench never imports server code):
// (a) one 4096x2048 panorama (a generated room with a photo of a person, shipped inside
//     @vladmandic/human, pasted on its wall) through scene_analysis: wall time (the job's
//     started_at to completed_at, PostgreSQL's clock), the server's CPU time (all threads,
//     the inference thread's too) and its peak RSS; round 1 loads the models, later rounds
//     find them loaded;
// (b) a 10-scene tour (2048x1024 rooms) through hotspot_generation: wall and CPU;
// (c) the tour JSON (GET /api/v1/public/tours/{id}) under load by autocannon on loopback,
//     p50/p99 without a job, then with scene analyses running back to back throughout.
// Server, PostgreSQL and autocannon share the machine's cores.
//
//   node --import tsx bench/jobs/run.ts      (or: npm run bench:jobs -w @vr-tour/bench)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 BENCH_ROUNDS=2
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import sharp from 'sharp';
import { createSql, migrate, startEmbeddedPostgres } from '@vr-tour/db';
import { DEMO_ROOMS, renderRoom } from '@vr-tour/demo';
import { cpuMs, insertBenchUser, resetPeakRss, rssMiB, spawnServer } from '../support/server-process.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number }) => Promise<AutocannonResult>;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const log = (line: string) => process.stderr.write(`${line}\n`);
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');

/**
 * A demo room `width` wide as a JPEG, turned by `turn` degrees (the demo has
 * three rooms: a tour of ten repeats them, as photos of one room from one
 * spot facing other ways), with the person photo on the horizon at yaw 60
 * when `person`.
 */
async function roomJpeg(room: number, width: number, person: boolean, turn = 0): Promise<Buffer> {
  const raw = renderRoom(DEMO_ROOMS[room % DEMO_ROOMS.length]!, width);
  const shift = Math.round((turn / 360) * width) * 3;
  const turned = Buffer.concat(
    Array.from({ length: raw.height }, (_, y) => {
      const row = Buffer.from(raw.data.buffer, raw.data.byteOffset + y * width * 3, width * 3);
      return Buffer.concat([row.subarray(row.length - shift), row.subarray(0, row.length - shift)]);
    }),
  );
  const image = sharp(turned, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  if (person) {
    const samples = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'assets', 'samples.jpg');
    const photo = await sharp(samples).extract({ left: 4, top: 0, width: 150, height: 158 }).resize({ width: Math.round(width / 18) }).toBuffer({ resolveWithObject: true });
    image.composite([{ input: photo.data, left: Math.round(((60 + 180) / 360) * width - photo.info.width / 2), top: Math.round(raw.height / 2 - photo.info.height / 2) }]);
  }
  return image.jpeg({ quality: 90 }).toBuffer();
}

const folder = await mkdtemp(path.join(tmpdir(), 'vr-tour-bench-jobs-'));
log(`machine: ${cpus().length} x ${cpus()[0]?.model}, load ${load()}; starting PostgreSQL in ${folder}`);
const pg = await startEmbeddedPostgres({ dataDir: path.join(folder, 'pg') });
const sql = createSql(pg.url, { max: 2 });
let server: ChildProcess | undefined;
try {
  await migrate(sql);
  const { token } = await insertBenchUser(sql);
  const started = await spawnServer({ DATABASE_URL: pg.url, PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(folder, 'data'), DEMO: 'off', LOG_LEVEL: 'info' });
  server = started.child;
  const pid = server.pid!;
  const auth = { Authorization: `Bearer ${token}` };
  const api = async (method: string, url: string, body?: unknown) => {
    const response = await fetch(`${started.url}/api/v1${url}`, { method, headers: { ...auth, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body: body ? JSON.stringify(body) : undefined });
    if (response.status >= 300) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
    return response.json() as Promise<any>;
  };
  const upload = async (jpeg: Buffer) => {
    const form = new FormData();
    form.append('kind', 'panorama');
    form.append('file', new Blob([new Uint8Array(jpeg)], { type: 'image/jpeg' }), 'room.jpg');
    const { id } = (await (await fetch(`${started.url}/api/v1/media`, { method: 'POST', body: form, headers: auth })).json()) as { id: string };
    for (;;) {
      const media = await api('GET', `/media/${id}`);
      if (media.status === 'ready') return id;
      if (media.status === 'failed') throw new Error(media.error);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };
  const finished = async (id: string) => {
    for (;;) {
      const job = await api('GET', `/ai-jobs/${id}`);
      if (job.status === 'completed') return job;
      if (job.status !== 'pending' && job.status !== 'processing') throw new Error(`job ${job.status}: ${job.error}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const timing = async (id: string) =>
    (await sql<{ ms: number }[]>`SELECT round(extract(epoch FROM completed_at - started_at) * 1000)::int AS ms FROM ai_jobs WHERE id = ${id}`)[0]!.ms;

  // (a) scene_analysis of one 4096x2048 panorama.
  const tour = await api('POST', '/tours', { title: 'Bench' });
  const scene = await api('POST', '/scenes', { tourId: tour.id, title: 'Room', mediaId: await upload(await roomJpeg(0, 4096, true)) });
  const idleRss = await rssMiB(pid, 'VmRSS');
  const analyses = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    await resetPeakRss(pid);
    const cpuBefore = await cpuMs(pid);
    const job = await finished((await api('POST', '/ai-jobs', { type: 'scene_analysis', sceneId: scene.id })).id);
    const figures = { round: round + 1, wallMs: await timing(job.id), cpuMs: Math.round((await cpuMs(pid)) - cpuBefore), peakRssMiB: Math.round(await rssMiB(pid, 'VmHWM')), idleRssMiB: Math.round(idleRss) };
    analyses.push({ ...figures, found: job.result.objects.map((o: any) => `${o.label} ${o.score} at yaw ${o.yaw} pitch ${o.pitch}`), room: job.result.room, quality: job.result.quality });
    log(`(a) ${JSON.stringify(analyses.at(-1))}`);
  }

  // (b) hotspot_generation for a 10-scene tour.
  const linked = await api('POST', '/tours', { title: 'Ten rooms' });
  for (let room = 0; room < 10; room += 1) {
    await api('POST', '/scenes', { tourId: linked.id, title: `Room ${room + 1}`, mediaId: await upload(await roomJpeg(room, 2048, false, room * 37)) });
  }
  const cpuBefore = await cpuMs(pid);
  const generation = await finished((await api('POST', '/ai-jobs', { type: 'hotspot_generation', tourId: linked.id })).id);
  const generationFigures = { scenes: 10, pairs: generation.result.pairsMatched, wallMs: await timing(generation.id), cpuMs: Math.round((await cpuMs(pid)) - cpuBefore), links: generation.result.links };
  log(`(b) ${JSON.stringify(generationFigures)}`);

  // (c) tour JSON under load, without and with analyses running.
  await api('PATCH', `/tours/${tour.id}`, { visibility: 'public' });
  await api('POST', `/tours/${tour.id}/publish`);
  const url = `${started.url}/api/v1/public/tours/${tour.id}`;
  const run = async () => {
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS });
    if (result.errors || result.non2xx) throw new Error(`${result.errors} errors, ${result.non2xx} non-2xx`);
    return { p50: result.latency.p50, p99: result.latency.p99, rps: Math.round(result.requests.average) };
  };
  await autocannon({ url, connections: CONNECTIONS, duration: 2 });
  const idle = await run();
  let busy = true;
  const keepBusy = (async () => {
    let jobs = 0;
    while (busy) {
      await finished((await api('POST', '/ai-jobs', { type: 'scene_analysis', sceneId: scene.id })).id);
      jobs += 1;
    }
    return jobs;
  })();
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const loaded = await run();
  busy = false;
  const jobsDuring = await keepBusy;
  const figures = {
    machine: `${cpus().length} x ${cpus()[0]?.model}`,
    loadAtEnd: load(),
    sceneAnalysis4096: analyses.map(({ found: _found, room: _room, quality: _quality, ...rest }) => rest),
    detected: analyses[0]!.found,
    room: analyses[0]!.room,
    quality: analyses[0]!.quality,
    hotspotGeneration: generationFigures,
    tourJson: { connections: CONNECTIONS, seconds: SECONDS, withoutJob: idle, withJobsRunning: { ...loaded, analysesCompleted: jobsDuring }, p99Ratio: Number((loaded.p99 / Math.max(idle.p99, 1)).toFixed(2)) },
  };
  console.log(JSON.stringify(figures, null, 2));
} finally {
  server?.kill('SIGTERM');
  await sql.end({ timeout: 1 });
  await pg.stop();
  await rm(folder, { recursive: true, force: true });
}
