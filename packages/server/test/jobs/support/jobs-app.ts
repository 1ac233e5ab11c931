import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { WebSocket } from 'ws';
import type { Sql } from '@vr-tour/db';
import type { RawImage } from '../../../src/embeds/perspective.js';
import { AiJobWorker } from '../../../src/jobs/ai-worker.js';
import type { Analyzer } from '../../../src/jobs/analysis/analyzer.js';
import { JobChanges } from '../../../src/jobs/changes.js';
import { attachJobSockets, type JobSocketOptions } from '../../../src/jobs/sockets.js';
import { LocalStorage } from '../../../src/storage/local.js';
import { contentKey, type Storage } from '../../../src/storage/storage.js';
import { startTestApp, type RunningApp } from '../../support/app.js';

export interface JobsApp extends RunningApp {
  storage: LocalStorage;
  worker: AiJobWorker;
}

/** The app with its job sockets and an AI job worker on `analyzer`, as a server process runs them. */
export async function startJobsApp(sql: Sql, analyzer: Analyzer, sockets: JobSocketOptions = {}): Promise<JobsApp> {
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-jobs-'));
  const app = await startTestApp(sql, { mediaDir });
  const storage = new LocalStorage(mediaDir);
  const changes = new JobChanges(sql);
  await changes.start();
  const attached = attachJobSockets(app.server, { sql, changes, publicUrl: undefined }, sockets);
  const worker = new AiJobWorker(sql, storage, changes, analyzer, { pollMs: 50 }).start();
  return {
    ...app,
    storage,
    worker,
    close: async () => {
      attached.close();
      await worker.stop();
      await changes.stop();
      await app.close();
    },
  };
}

/** Stores `panorama` as a processed upload of `userId` (one JPEG level and its preview) and returns the media id. */
export async function storedPanorama(sql: Sql, storage: Storage, userId: string, panorama: RawImage): Promise<string> {
  const jpeg = await sharp(Buffer.from(panorama.data), { raw: { width: panorama.width, height: panorama.height, channels: panorama.channels as 3 } }).jpeg({ quality: 90 }).toBuffer();
  const key = contentKey(jpeg, 'image/jpeg');
  await storage.put(key, jpeg, 'image/jpeg');
  const preview = await sharp(jpeg).resize(512, 256).jpeg().toBuffer();
  const previewKey = contentKey(preview, 'image/jpeg');
  await storage.put(previewKey, preview, 'image/jpeg');
  const variants = {
    inlinePreview: null,
    previewUrl: storage.url(previewKey),
    levels: [{ width: panorama.width, height: panorama.height, url: storage.url(key), format: 'jpeg' }],
    thumbnailUrl: storage.url(previewKey),
  };
  const [row] = await sql<{ id: string }[]>`
    INSERT INTO media (user_id, kind, status, progress, width, height, variants)
    VALUES (${userId}, 'panorama', 'ready', 100, ${panorama.width}, ${panorama.height}, ${sql.json(variants)}) RETURNING id`;
  return row!.id;
}

/** A socket's messages as they come, and how it closed. */
export interface FollowedJob {
  messages: any[];
  closed: Promise<{ code: number; reason: string }>;
  socket: WebSocket;
}

export function followJob(baseUrl: string, jobId: string, headers: Record<string, string>): Promise<FollowedJob> {
  const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}/ws/jobs/${jobId}`, { headers });
  const messages: any[] = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data))));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    socket.once('open', () => {
      // A close the server starts (1008, 1009) may come with an error event on this side too.
      socket.on('error', () => undefined);
      resolve({ messages, closed, socket });
    });
    socket.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused with ${res.statusCode}`), { status: res.statusCode })));
    socket.once('error', reject);
  });
}

/** The status a refused upgrade was answered with. */
export function upgradeStatus(baseUrl: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${baseUrl.replace(/^http/, 'ws')}${path}`, { headers });
    socket.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.once('open', () => {
      socket.terminate();
      reject(new Error('the upgrade was accepted'));
    });
    socket.once('error', () => undefined);
  });
}

/** The sequence a socket saw: status and percent of each message. */
export function statusTrail(messages: any[]): string[] {
  return messages.map((message) => (message.type === 'job' ? `${message.job.status}:${message.job.progress.percent}` : `${message.status}:${message.progress.percent}`));
}
