import sharp from 'sharp';
import type { Sql } from '@vr-tour/db';
import type { RawImage } from '../../../src/embeds/perspective.js';
import { LocalStorage } from '../../../src/storage/local.js';
import { contentKey, type Storage } from '../../../src/storage/storage.js';

export type Rgb = [number, number, number];

const RAD = Math.PI / 180;

/** Degrees between two directions given as (yaw, pitch). */
export function angleBetween(yawA: number, pitchA: number, yawB: number, pitchB: number): number {
  const cos = Math.sin(pitchA * RAD) * Math.sin(pitchB * RAD) + Math.cos(pitchA * RAD) * Math.cos(pitchB * RAD) * Math.cos((yawA - yawB) * RAD);
  return Math.acos(Math.min(1, Math.max(-1, cos))) / RAD;
}

/**
 * An equirectangular panorama (width x width/2) painted per pixel from the
 * direction of its centre: yaw 0 is the middle column, pitch 90 the top row.
 */
export function paintPanorama(width: number, paint: (yaw: number, pitch: number) => Rgb): RawImage {
  const height = width / 2;
  const data = new Uint8Array(width * height * 3);
  for (let row = 0; row < height; row += 1) {
    const pitch = (0.5 - (row + 0.5) / height) * 180;
    for (let column = 0; column < width; column += 1) {
      const yaw = ((column + 0.5) / width - 0.5) * 360;
      data.set(paint(yaw, pitch), (row * width + column) * 3);
    }
  }
  return { data, width, height, channels: 3 };
}

export const RED: Rgb = [220, 30, 30];
export const MARKER = { yaw: 60, pitch: 20, radius: 4 } as const;

/**
 * A room to look at: sky above the horizon, floor below, a red disc at
 * MARKER's bearing, and bright meridians every 45° (straight lines of the
 * scene, so a screenshot shows whether the view is a perspective one).
 */
export function roomPanorama(width: number): RawImage {
  return paintPanorama(width, (yaw, pitch) => {
    if (angleBetween(yaw, pitch, MARKER.yaw, MARKER.pitch) < MARKER.radius) return RED;
    const nearMeridian = Math.abs(((yaw + 22.5 + 360) % 45) - 22.5) < 0.35 && Math.abs(pitch) < 60;
    if (nearMeridian) return [240, 240, 240];
    if (pitch > 0) return [90 + Math.round(pitch), 150 + Math.round(pitch), 225];
    return [110 - Math.round(-pitch / 2), 85, 60];
  });
}

export const jpegOf = (image: RawImage, quality = 90) =>
  sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } }).jpeg({ quality }).toBuffer();

/**
 * Stores `jpeg` as every scene's panorama of `tourId` (in the app's media
 * folder, by content key, as the media pipeline would) and points the
 * scenes' media rows at it.
 */
export async function usePanorama(sql: Sql, mediaDir: string, tourId: string, jpeg: Buffer): Promise<string> {
  const storage: Storage = new LocalStorage(mediaDir);
  const key = contentKey(jpeg, 'image/jpeg');
  await storage.put(key, jpeg, 'image/jpeg');
  const { width, height } = await sharp(jpeg).metadata();
  const tiny = await sharp(jpeg).resize(64, 32).jpeg({ quality: 50 }).toBuffer();
  const variants = {
    inlinePreview: `data:image/jpeg;base64,${tiny.toString('base64')}`,
    previewUrl: storage.url(key),
    levels: [{ width, height, url: storage.url(key), format: 'jpeg' }],
  };
  await sql`UPDATE media SET variants = ${sql.json(variants)}, width = ${width!}, height = ${height!}
    WHERE id IN (SELECT media_id FROM scenes WHERE tour_id = ${tourId})`;
  return storage.url(key);
}
