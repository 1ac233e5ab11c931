import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sql } from '@vr-tour/db';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import type { TourStatus, TourVisibility } from '@vr-tour/protocol';
import type { AppDependencies } from '../../../src/app.js';
import { startTestApp, type RunningApp } from '../../support/app.js';
import { createUserWithToken, type TestCaller } from '../../support/auth.js';
import { insertTour } from '../../support/fixtures.js';
import { jpegOf, MARKER, roomPanorama, usePanorama } from './panorama.js';

export interface EmbedsFixture {
  db: TestDatabase;
  app: RunningApp;
  mediaDir: string;
  creator: TestCaller;
  /**
   * A tour of two scenes over the room panorama (stored in the app's media
   * folder); with `atMarker`, its start view looks straight at the red marker.
   */
  tour(options?: { status?: TourStatus; visibility?: TourVisibility; title?: string; atMarker?: boolean }): Promise<{ tourId: string; sceneIds: string[]; panoramaUrl: string }>;
  close(): Promise<void>;
}

let roomJpeg: Promise<Buffer> | undefined;

/** The real app over a test database, with a media folder the tests put panoramas in; `extra` adds dependencies made over that database. */
export async function startEmbedsApp(extra: (sql: Sql) => Partial<AppDependencies> = () => ({})): Promise<EmbedsFixture> {
  const db = await createTestDatabase();
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-embeds-media-'));
  const app = await startTestApp(db.sql, { mediaDir, ...extra(db.sql) });
  const creator = await createUserWithToken(db.sql);
  return {
    db,
    app,
    mediaDir,
    creator,
    async tour({ atMarker, ...options } = {}) {
      const { tourId, sceneIds } = await insertTour(db.sql, creator.userId, options);
      const panoramaUrl = await usePanorama(db.sql, mediaDir, tourId, await (roomJpeg ??= jpegOf(roomPanorama(2048))));
      if (atMarker) {
        await db.sql`UPDATE scenes SET initial_yaw = ${MARKER.yaw}, initial_pitch = ${MARKER.pitch}, initial_fov = 60 WHERE id = ${sceneIds[0]!}`;
      }
      return { tourId, sceneIds, panoramaUrl };
    },
    async close() {
      await app.close();
      await db.drop();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** A verified custom domain row, as verification leaves it. */
export async function insertVerifiedDomain(sql: Sql, userId: string, tourId: string, host: string, domainPath = '/'): Promise<void> {
  await sql`
    INSERT INTO custom_domains (user_id, tour_id, host, path, verification_token, verification_status, verified_at)
    VALUES (${userId}, ${tourId}, ${host}, ${domainPath}, ${randomBytes(16).toString('hex')}, 'verified', now())`;
}

/** Every `<meta property|name=… content=…>` of a page, by name. */
export function metaTags(html: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const [, name, content] of html.matchAll(/<meta (?:property|name)="([^"]+)" content="([^"]*)">/g)) tags[name!] = content!;
  return tags;
}

/** The attributes of the page's `<vr-tour>` (bare ones as ''). */
export function viewerAttributes(html: string): Record<string, string> {
  const tag = /<vr-tour ([^>]*)>/.exec(html)?.[1] ?? '';
  return Object.fromEntries([...tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!, value ?? '']));
}

/** `&amp;` and friends back to text, for URLs read out of attributes. */
export const unescapeHtml = (value: string) =>
  value.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
