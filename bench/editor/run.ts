// Editor benchmark, against the real server process (bench never imports server code):
// (a) an 8192x4096 panorama uploaded and processed into every output: the upload's
//     answer time, the processing time (the media row's insert to its final update,
//     from PostgreSQL's clock), the server's CPU time, and its peak RSS over its RSS
//     before the first upload; beside it the baseline of per-output-decode.ts (a fresh
//     sharp decode per output) on the same file, in its own process; rounds alternate,
//     ratios printed;
// (b) GET /api/v1/tours ("my tours", 20 a page) with 10,000 tours of the caller in the
//     database (and 10,000 of another user), by autocannon on loopback: first page,
//     first page by status, and a page 5,000 tours deep by cursor.
// Server, PostgreSQL and autocannon share the machine's cores; the server logs each
// request (LOG_LEVEL=info) as in production.
//
//   node --import tsx bench/editor/run.ts      (or: npm run bench:editor -w @vr-tour/bench)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 BENCH_MEDIA_ROUNDS=2 PANORAMA_FORMAT=webp|avif
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { createSql, migrate, startEmbeddedPostgres } from '@vr-tour/db';
import { cpuMs, insertBenchUser, resetPeakRss, rssMiB, spawnServer } from '../support/server-process.js';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<AutocannonResult>;
interface MediaAnswer {
  id: string;
  status: string;
  error: string | null;
  variants: { inlinePreview: string; previewUrl: string; thumbnailUrl: string; levels: { width: number; height: number; format: string; url: string }[] };
}
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TOURS = 10_000;
const MEDIA_ROUNDS = Number(process.env.BENCH_MEDIA_ROUNDS ?? 2);
const root = fileURLToPath(new URL('../../', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A photo-like equirectangular test image: gradients, shapes and fine noise (noise keeps encoders honest). */
async function makePanorama(width: number, height: number): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#3a7bd5"/><stop offset=".5" stop-color="#cfd9df"/><stop offset="1" stop-color="#6b4f3a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    ${Array.from({ length: 40 }, (_, i) => `<rect x="${(i * width) / 40}" y="${height * 0.45}" width="${width / 60}" height="${height * (0.1 + (i % 5) / 20)}" fill="#${(0x302010 + i * 0x030405).toString(16)}"/>`).join('')}
  </svg>`;
  const noise = await sharp({ create: { width, height, channels: 3, background: '#000', noise: { type: 'gaussian', mean: 128, sigma: 12 } } }).raw().toBuffer();
  return sharp(Buffer.from(svg))
    .composite([{ input: noise, raw: { width, height, channels: 3 }, blend: 'overlay' }])
    .jpeg({ quality: 85 })
    .toBuffer();
}

const folder = await mkdtemp(path.join(tmpdir(), 'vr-tour-bench-editor-'));
// The machine is shared: its load before and after says how far to trust absolute figures.
const load = () => loadavg().map((value) => value.toFixed(2)).join(' ');
const loadBefore = load();
log(`machine: ${cpus().length} x ${cpus()[0]?.model}, load ${loadBefore}; starting PostgreSQL in ${folder}`);
const pg = await startEmbeddedPostgres({ dataDir: path.join(folder, 'pg') });
const sql = createSql(pg.url, { max: 2 });
let server: ChildProcess | undefined;
try {
  await migrate(sql);
  const { userId, token } = await insertBenchUser(sql);
  // Other users' tours too, so "my tours" is a real index lookup and not the whole table.
  const [other] = await sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('other@example.com') RETURNING id`;
  await sql`
    INSERT INTO tours (user_id, title, status, visibility, published_at, archived_at, created_at)
    SELECT CASE WHEN g % 2 = 0 THEN ${userId}::uuid ELSE ${other!.id}::uuid END, 'Tour ' || g,
           s.status::tour_status, 'public', CASE WHEN s.status = 'published' THEN now() END,
           CASE WHEN s.status = 'archived' THEN now() END, now() - g * interval '1 minute'
    FROM generate_series(1, ${TOURS * 2}) g, LATERAL (SELECT (ARRAY['draft', 'published', 'published', 'archived'])[g % 4 + 1] AS status) s`;
  await sql`ANALYZE tours`;
  log(`seeded ${TOURS} tours for the benchmark user (+${TOURS} for another)`);

  const started = await spawnServer({
    DATABASE_URL: pg.url, PORT: '0', HOST: '127.0.0.1', DATA_DIR: path.join(folder, 'data'), DEMO: 'off', LOG_LEVEL: 'info',
    ...(process.env.PANORAMA_FORMAT ? { PANORAMA_FORMAT: process.env.PANORAMA_FORMAT } : {}),
  });
  server = started.child;
  const auth = { Authorization: `Bearer ${token}` };

  // (a) the media pipeline: rounds alternate vr-tour and the baseline, each on a fresh image
  // (its noise differs, its shape does not), so drifting load hits both alike.
  interface Round { processingMs: number; cpuMs: number; rssGrowthMiB: number }
  // Growth is counted from the RSS before the first upload: memory the allocator keeps after
  // round 1 would hide round 2's peak if each round counted from its own start.
  const serverIdleRss = await rssMiB(server.pid!, 'VmRSS');
  const ours: (Round & { answerMs: number; peakRssMiB: number })[] = [];
  const theirs: (Round & { peakRssMiB: number })[] = [];
  let outputs = '';
  let outputBytes = 0;
  for (let round = 0; round < MEDIA_ROUNDS; round += 1) {
    const source = await makePanorama(8192, 4096);
    const sourceFile = path.join(folder, `panorama-${round}.jpg`);
    await writeFile(sourceFile, source);
    log(`(a) round ${round + 1}: an 8192x4096 JPEG of ${(source.length / 1e6).toFixed(1)} MB`);
    await resetPeakRss(server.pid!);
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(source)], { type: 'image/jpeg' }), 'bench.jpg');
    const cpuBefore = await cpuMs(server.pid!);
    const t0 = performance.now();
    const accepted = await fetch(`${started.url}/api/v1/media`, { method: 'POST', body: form, headers: auth });
    const answerMs = Math.round(performance.now() - t0);
    if (accepted.status !== 202) throw new Error(`upload answered ${accepted.status}: ${await accepted.text()}`);
    const { id } = (await accepted.json()) as MediaAnswer;
    let media: MediaAnswer;
    do {
      // Polled as a client would, slowly enough not to take CPU from the processing.
      await new Promise((resolve) => setTimeout(resolve, 250));
      media = (await (await fetch(`${started.url}/api/v1/media/${id}`, { headers: auth })).json()) as MediaAnswer;
    } while (media.status !== 'ready' && media.status !== 'failed');
    const peak = await rssMiB(server.pid!, 'VmHWM');
    // Receiving, checking and processing the upload, and the polls: all the server did for it.
    const serverCpuMs = Math.round((await cpuMs(server.pid!)) - cpuBefore);
    if (media.status !== 'ready') throw new Error(`processing failed: ${media.error}`);
    const [timing] = await sql<{ ms: number }[]>`
      SELECT round(extract(epoch FROM updated_at - created_at) * 1000)::int AS ms FROM media WHERE id = ${id}`;
    // Every output really exists, at the size it claims.
    outputBytes = Buffer.byteLength(media.variants.inlinePreview);
    for (const url of [media.variants.previewUrl, media.variants.thumbnailUrl, ...media.variants.levels.map((level) => level.url)]) {
      const data = Buffer.from(await (await fetch(`${started.url}${url}`)).arrayBuffer());
      outputBytes += data.length;
      const level = media.variants.levels.find((candidate) => candidate.url === url);
      const meta = await sharp(data).metadata();
      if (level && (meta.width !== level.width || meta.height !== level.height)) throw new Error(`${url} is ${meta.width}x${meta.height}`);
    }
    outputs = `inline preview, preview, thumbnail, ${media.variants.levels.map((level) => `${level.width}/${level.format}`).join(' ')}`;
    ours.push({ answerMs, processingMs: timing!.ms, cpuMs: serverCpuMs, peakRssMiB: Math.round(peak), rssGrowthMiB: Math.round(peak - serverIdleRss) });

    const baseline = JSON.parse(
      (await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'bench/editor/per-output-decode.ts'), sourceFile])).stdout,
    ) as { ms: number; cpuMs: number; idleRssMiB: number; peakRssMiB: number };
    theirs.push({ processingMs: baseline.ms, cpuMs: baseline.cpuMs, peakRssMiB: baseline.peakRssMiB, rssGrowthMiB: baseline.peakRssMiB - baseline.idleRssMiB });
    log(`(a) round ${round + 1}: vr-tour ${JSON.stringify(ours.at(-1))}, per-output decode ${JSON.stringify(theirs.at(-1))}`);
  }
  // Best of the rounds for times (the least disturbed), worst for memory.
  const best = (rounds: Round[], key: 'processingMs' | 'cpuMs') => Math.min(...rounds.map((round) => round[key]));
  const worst = (rounds: Round[]) => Math.max(...rounds.map((round) => round.rssGrowthMiB));
  const ratio = (a: number, b: number) => `vr-tour/per-output-decode = ${(a / b).toFixed(2)}`;
  const mediaResult = {
    outputs,
    outputMB: Number((outputBytes / 1e6).toFixed(1)),
    vrTour: { rounds: ours, bestProcessingMs: best(ours, 'processingMs'), bestCpuMs: best(ours, 'cpuMs'), worstRssGrowthMiB: worst(ours) },
    perOutputDecode: { rounds: theirs, bestProcessingMs: best(theirs, 'processingMs'), bestCpuMs: best(theirs, 'cpuMs'), worstRssGrowthMiB: worst(theirs) },
    wallTimeRatio: ratio(best(ours, 'processingMs'), best(theirs, 'processingMs')),
    cpuTimeRatio: ratio(best(ours, 'cpuMs'), best(theirs, 'cpuMs')),
    rssGrowthRatio: ratio(worst(ours), worst(theirs)),
  };
  log(`(a) ${JSON.stringify({ ...mediaResult, vrTour: undefined, perOutputDecode: undefined })}`);

  // (b) the list endpoint. A cursor 5,000 tours deep, walked to as a client would.
  let cursor = '';
  for (let page = 0; page < 50; page += 1) {
    const answer = (await (await fetch(`${started.url}/api/v1/tours?limit=100${cursor && `&cursor=${cursor}`}`, { headers: auth })).json()) as { nextCursor: string };
    cursor = answer.nextCursor;
  }
  const results: Record<string, unknown> = {};
  for (const [name, query] of [['first page', ''], ['first page, status=published', '&status=published'], ['5,000 deep by cursor', `&cursor=${cursor}`]] as const) {
    const url = `${started.url}/api/v1/tours?limit=20${query}`;
    const check = (await (await fetch(url, { headers: auth })).json()) as { items: unknown[] };
    if (check.items.length !== 20) throw new Error(`${name}: ${check.items.length} items, not 20`);
    await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: auth });
    const cpuStart = await cpuMs(server.pid!);
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: auth });
    const cpuPerRequest = ((await cpuMs(server.pid!)) - cpuStart) / result.requests.total;
    if (result.non2xx > 0 || result.errors > 0) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    results[name] = {
      requestsPerSecond: Math.round(result.requests.average),
      p50ms: result.latency.p50,
      p99ms: result.latency.p99,
      // The Node process's share (PostgreSQL's is not counted): a figure the machine's other load moves little.
      serverCpuMsPerRequest: Number(cpuPerRequest.toFixed(2)),
    };
    log(`(b) ${name}: ${JSON.stringify(results[name])}`);
  }
  // The statement the route sends (packages/server/src/tours/sql.ts), with the status filter.
  const plan = await sql.unsafe(
    `EXPLAIN SELECT * FROM tours WHERE user_id = $1 AND status = 'published' ORDER BY created_at DESC, id DESC LIMIT 21`,
    [userId],
  );
  log(`plan (status filter): ${plan.map((row) => String(row['QUERY PLAN']).trim()).join(' / ')}`);
  console.log(JSON.stringify({ cores: cpus().length, load: { before: loadBefore, after: load() }, connections: CONNECTIONS, seconds: SECONDS, media: mediaResult, list: results }, null, 2));
} finally {
  if (server && server.exitCode === null) {
    const exited = new Promise((resolve) => server!.once('exit', resolve));
    server.kill('SIGTERM');
    await exited;
  }
  await sql.end();
  await pg.stop();
  await rm(folder, { recursive: true, force: true });
}
