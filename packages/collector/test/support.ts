import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Sql } from '@vr-tour/db';
import { uuidv7 } from '@vr-tour/protocol';
import { createCollector, type Collector, type CollectorOptions } from '../src/index.js';

export const CHROME_UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
export const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

export const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));

/** A creator and `count` tours (published and public unless told). */
export async function insertTours(
  sql: Sql,
  count: number,
  options: { status?: 'draft' | 'published' | 'archived'; visibility?: 'private' | 'unlisted' | 'public' } = {},
): Promise<string[]> {
  const [user] = await sql<{ id: string }[]>`
    INSERT INTO users (email) VALUES (${`c-${crypto.randomUUID()}@example.com`}) RETURNING id`;
  const status = options.status ?? 'published';
  const rows = await sql<{ id: string }[]>`
    INSERT INTO tours (user_id, title, status, visibility, published_at, archived_at)
    SELECT ${user!.id}, 'Tour ' || g, ${status}, ${options.visibility ?? 'public'},
           ${status === 'draft' ? null : new Date()}, ${status === 'archived' ? new Date() : null}
    FROM generate_series(1, ${count}) g
    RETURNING id`;
  return rows.map((row) => row.id);
}

export interface Ev {
  id: string;
  type: string;
  offsetMs: number;
  [key: string]: unknown;
}

export const SCENE = '11111111-1111-4111-8111-111111111111';
export const HOTSPOT = '22222222-2222-4222-8222-222222222222';

export function ev(type: 'view' | 'scene_view' | 'hotspot_click' | 'share' | 'like' | 'performance', extra: Partial<Ev> = {}): Ev {
  const base: Ev = { id: uuidv7(), type, offsetMs: 0 };
  if (type === 'scene_view') base.sceneId = SCENE;
  if (type === 'hotspot_click') Object.assign(base, { sceneId: SCENE, hotspotId: HOTSPOT });
  if (type === 'share') base.channel = 'copy';
  if (type === 'performance') Object.assign(base, { metric: 'LCP', value: 1234 });
  return { ...base, ...extra };
}

export function batch(tourId: string, events: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ v: 1, tourId, events, ...extra });
}

export interface PostResult {
  status: number;
  body: any;
  headers: Headers;
}

export async function post(
  url: string,
  body: string,
  options: { ip?: string; ua?: string | null; contentType?: string } = {},
): Promise<PostResult> {
  const headers: Record<string, string> = { 'content-type': options.contentType ?? 'text/plain;charset=UTF-8' };
  if (options.ua !== null) headers['user-agent'] = options.ua ?? CHROME_UA;
  if (options.ip) headers['x-forwarded-for'] = options.ip;
  const res = await fetch(url, { method: 'POST', body, headers });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

export interface InProcess {
  url: string;
  base: string;
  collector: Collector;
  close(): Promise<void>;
}

/** The collector in this process, behind an app that trusts X-Forwarded-For (so tests pick the IP). */
export async function startInProcess(options: CollectorOptions): Promise<InProcess> {
  const collector = createCollector({ rateLimit: false, ...options });
  const app = express();
  app.set('trust proxy', true);
  app.use('/collect', collector.handler);
  app.get('/metrics', (_req, res) => void res.type('text/plain').send(collector.metrics()));
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/collect`,
    base,
    collector,
    async close() {
      await collector.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface ChildCollector {
  child: ChildProcess;
  url: string;
  base: string;
  output: () => string;
  exited: Promise<number | null>;
}

/** The bearer token that spawned collectors serve /metrics to. */
export const METRICS_TOKEN = 'collector-test-scrape-token';

/** The standalone collector (src/main.ts) as a real child process; its loopback peers (the tests) are trusted proxies. */
export async function spawnCollector(env: Record<string, string>): Promise<ChildCollector> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', TRUST_PROXY: 'loopback', METRICS_TOKEN, RATE_LIMIT: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code, signal) => {
      output += `\n[collector exited: code ${code}, signal ${signal}]\n`;
      resolve(code);
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /"port":(\d+),"msg":"collector listening"/.exec(output);
      if (match) resolve(Number(match[1]));
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // 'close', not 'exit': by then everything it wrote has been read.
    child.once('close', (code) => reject(new Error(`collector exited (${code}) before listening:\n${output}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  return { child, url: `${base}/collect`, base, output: () => output, exited };
}

/** The Prometheus text of a spawned collector, read with its token. */
export async function scrape(base: string): Promise<string> {
  const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  if (res.status !== 200) throw new Error(`/metrics answered ${res.status}`);
  return res.text();
}

export async function count(sql: Sql, table: string): Promise<number> {
  const [row] = await sql.unsafe<{ n: number }[]>(`SELECT count(*)::int AS n FROM ${table}`);
  return row!.n;
}

/** Which of `ids` are stored. */
export async function storedIds(sql: Sql, ids: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < ids.length; i += 5000) {
    const rows = await sql<{ id: string }[]>`
      SELECT id::text AS id FROM tour_analytics_events WHERE id = ANY(${ids.slice(i, i + 5000)}::text[]::uuid[])`;
    for (const row of rows) found.add(row.id);
  }
  return found;
}

export interface LoadStats {
  /** Event ids answered 2xx (stored, or already stored). */
  acked: string[];
  statuses: Map<number | string, number>;
  /** Statuses in order of answer, with the times each request went out and came back. */
  timeline: { sentAt: number; at: number; status: number | string }[];
}

/**
 * Fires batches of `perBatch` fresh events from `concurrency` loops until
 * `stop()` says so; a loop resends a batch now and then (retries).
 */
export async function fireLoad(options: {
  url: () => string;
  tours: string[];
  concurrency: number;
  perBatch: number;
  stop: () => boolean;
  stats?: LoadStats;
}): Promise<LoadStats> {
  const stats: LoadStats = options.stats ?? { acked: [], statuses: new Map(), timeline: [] };
  const note = (sentAt: number, status: number | string) => {
    stats.statuses.set(status, (stats.statuses.get(status) ?? 0) + 1);
    stats.timeline.push({ sentAt, at: Date.now(), status });
  };
  let n = 0;
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, loop) => {
      let previous: { body: string; ids: string[] } | undefined;
      while (!options.stop()) {
        n += 1;
        let current: { body: string; ids: string[] };
        if (previous && n % 7 === 0) current = previous;
        else {
          const tour = options.tours[n % options.tours.length]!;
          const events = Array.from({ length: options.perBatch }, (_, i) => ev(i === 0 ? 'view' : i % 3 === 0 ? 'share' : 'scene_view'));
          current = { body: batch(tour, events), ids: events.map((event) => event.id) };
        }
        previous = current;
        const sentAt = Date.now();
        try {
          const res = await fetch(options.url(), {
            method: 'POST',
            body: current.body,
            headers: { 'content-type': 'text/plain', 'user-agent': CHROME_UA, 'x-forwarded-for': `10.0.${loop}.${n % 50}` },
            signal: AbortSignal.timeout(15_000),
          });
          const text = await res.text();
          note(sentAt, res.status);
          if (res.status === 200) {
            const result = JSON.parse(text) as { rejected: { index: number }[] };
            if (result.rejected.length) throw new Error(`unexpected rejections: ${text}`);
            stats.acked.push(...current.ids);
          }
        } catch (error) {
          if ((error as Error).message.startsWith('unexpected')) throw error;
          note(sentAt, 'network');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      }
    }),
  );
  return stats;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
