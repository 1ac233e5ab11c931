// Editor benchmark, against the real server process (bench never imports server code):
// (a) an 8192x4096 panorama uploaded and processed into every output: time and the
//     server's peak RSS while doing it; (b) GET /api/v1/tours ("my tours", 20 a page)
//     with 10,000 tours in the database, by autocannon on loopback.
//
//   node --import tsx bench/editor/run.ts      (or: npm run bench:editor -w @vr-tour/bench)
//   BENCH_SECONDS=10 BENCH_CONNECTIONS=16 PANORAMA_FORMAT=webp|avif
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { createSql, migrate, startEmbeddedPostgres } from '@vr-tour/db';

interface AutocannonResult {
  requests: { average: number };
  latency: { p50: number; p99: number };
  '2xx': number;
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers: Record<string, string> }) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const TOURS = 10_000;
const root = fileURLToPath(new URL('../../', import.meta.url));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The kernel's peak resident set of a process, in MiB (VmHWM), resettable through clear_refs. */
async function peakRssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) / 1024;
}
async function resetPeakRss(pid: number): Promise<void> {
  await writeFile(`/proc/${pid}/clear_refs`, '5');
}

async function spawnServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'packages/server/src/main.ts')], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+)[^\n]*"msg":"listening"/.exec(output);
      if (!match) return;
      // From here on the request log is only drained: collecting it would cost the bench CPU.
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${output}`)));
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

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
log(`machine: ${cpus().length} x ${cpus()[0]?.model}; starting PostgreSQL in ${folder}`);
const pg = await startEmbeddedPostgres({ dataDir: path.join(folder, 'pg') });
const sql = createSql(pg.url, { max: 2 });
let server: ChildProcess | undefined;
try {
  await migrate(sql);
  // The same rows sign-up and POST /auth/tokens would leave: a user, a token stored as its SHA-256.
  const token = `vrt_${randomBytes(32).toString('base64url')}`;
  const [user] = await sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('bench@example.com') RETURNING id`;
  await sql`INSERT INTO api_tokens (user_id, name, token_hash, prefix)
    VALUES (${user!.id}, 'bench', ${createHash('sha256').update(token).digest()}, ${token.slice(0, 10)})`;
  // Other users' tours too, so "my tours" is a real index lookup and not the whole table.
  const [other] = await sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('other@example.com') RETURNING id`;
  await sql`
    INSERT INTO tours (user_id, title, status, visibility, published_at, archived_at, created_at)
    SELECT CASE WHEN g % 2 = 0 THEN ${user!.id}::uuid ELSE ${other!.id}::uuid END, 'Tour ' || g,
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

  // (a) the media pipeline.
  const source = await makePanorama(8192, 4096);
  log(`(a) uploading an 8192x4096 JPEG of ${(source.length / 1e6).toFixed(1)} MB`);
  const idleRss = await peakRssMiB(server.pid!);
  await resetPeakRss(server.pid!);
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(source)], { type: 'image/jpeg' }), 'bench.jpg');
  const t0 = performance.now();
  const accepted = await fetch(`${started.url}/api/v1/media`, { method: 'POST', body: form, headers: auth });
  const answeredMs = performance.now() - t0;
  const { id } = (await accepted.json()) as { id: string };
  let media: { status: string; variants: { levels: { width: number; format: string }[] } };
  do {
    await new Promise((resolve) => setTimeout(resolve, 25));
    media = (await (await fetch(`${started.url}/api/v1/media/${id}`, { headers: auth })).json()) as typeof media;
  } while (media.status !== 'ready' && media.status !== 'failed');
  const totalMs = performance.now() - t0;
  const peak = await peakRssMiB(server.pid!);
  if (media.status !== 'ready') throw new Error('processing failed');
  const mediaResult = {
    accepted: accepted.status,
    answerMs: Math.round(answeredMs),
    processedMs: Math.round(totalMs),
    levels: media.variants.levels.map((level) => `${level.width}/${level.format}`).join(' '),
    serverRssIdleMiB: Math.round(idleRss),
    serverPeakRssMiB: Math.round(peak),
  };
  log(`(a) ${JSON.stringify(mediaResult)}`);

  // (b) the list endpoint.
  const results: Record<string, unknown> = {};
  for (const [name, query] of [['all', ''], ['status=published', '&status=published']] as const) {
    const url = `${started.url}/api/v1/tours?limit=20${query}`;
    await autocannon({ url, connections: CONNECTIONS, duration: 2, headers: auth });
    const result = await autocannon({ url, connections: CONNECTIONS, duration: SECONDS, headers: auth });
    results[name] = {
      requestsPerSecond: Math.round(result.requests.average),
      p50ms: result.latency.p50,
      p99ms: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
    };
    log(`(b) GET /api/v1/tours?limit=20${query}: ${JSON.stringify(results[name])}`);
  }
  const plan = await sql.unsafe(`EXPLAIN SELECT id FROM tours WHERE user_id = '${user!.id}' AND status = 'published'
    ORDER BY created_at DESC, id DESC LIMIT 21`);
  log(`plan (status filter): ${plan.map((row) => String(row['QUERY PLAN'])).join(' / ')}`);
  console.log(JSON.stringify({ connections: CONNECTIONS, seconds: SECONDS, media: mediaResult, list: results }, null, 2));
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
