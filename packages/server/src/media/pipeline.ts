import sharp, { type Sharp } from 'sharp';
import type { PanoramaLevel } from '@vr-tour/protocol';
import { TOUR_LIMITS } from '@vr-tour/protocol';
import { contentKey, type Storage } from '../storage/storage.js';

// Every upload is a different image: libvips' operation cache would only hold memory.
sharp.cache(false);

export const LEVEL_WIDTHS = [2048, 4096, 8192] as const;
const PREVIEW_WIDTH = 512;
const THUMBNAIL = { width: 640, height: 360 };
const IMAGE_MAX_WIDTH = 4096;

export interface PanoramaVariants {
  inlinePreview: string;
  previewUrl: string;
  levels: PanoramaLevel[];
  thumbnailUrl: string;
}

export interface ImageVariants {
  url: string;
  width: number;
  height: number;
  thumbnailUrl: string;
}

export interface PipelineContext {
  storage: Storage;
  maxPixels: number;
  format: 'webp' | 'avif';
  /** Called with 0..100 as outputs are written. */
  progress(percent: number): void;
  /** Stores an output under its content key, for the row being processed (the worker references it there first). */
  store(key: string, data: Buffer, contentType: string): Promise<void>;
}

/** The widths of a panorama's levels: the standard ones it can fill, or its own width when smaller than all. */
export function levelWidths(sourceWidth: number): number[] {
  const widths = LEVEL_WIDTHS.filter((width) => width <= sourceWidth);
  return widths.length ? widths : [sourceWidth];
}

async function store(context: PipelineContext, data: Buffer, contentType: string): Promise<string> {
  const key = contentKey(data, contentType);
  await context.store(key, data, contentType);
  return context.storage.url(key);
}

/**
 * The largest inline preview that fits the document's limit: a blurry
 * equirectangular image painted before any request returns.
 */
async function inlinePreview(input: () => Sharp): Promise<string> {
  for (const [width, quality] of [[64, 50], [48, 40], [32, 30]] as const) {
    const data = await input().resize(width, width / 2).jpeg({ quality }).toBuffer();
    const uri = `data:image/jpeg;base64,${data.toString('base64')}`;
    if (uri.length < TOUR_LIMITS.inlinePreviewLength) return uri;
  }
  throw new Error('inline preview does not fit');
}

/** Decoded pixels, held in memory between outputs. */
interface Pixels {
  data: Buffer;
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
}

const fromPixels = (pixels: Pixels) =>
  sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels } });

async function toPixels(image: Sharp): Promise<Pixels> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/**
 * Makes every output of an equirectangular panorama: the inline preview, a
 * ~512 px preview, levels at 2048/4096/8192 wide (never upscaled) each in
 * the modern format and JPEG, and a 16:9 thumbnail from the centre.
 *
 * The source is decoded once, at the largest level's size. Each smaller
 * level is resized from the level above it (a quarter of the pixels each
 * step), and the previews from the smallest level; each level's two
 * encodings share its pixels. bench/editor measures this against decoding
 * the file again per output (with JPEG's shrink-on-load).
 */
export async function processPanorama(file: string, context: PipelineContext): Promise<PanoramaVariants> {
  const source = sharp(file, { limitInputPixels: context.maxPixels }).rotate();
  const { width: sourceWidth } = await source.metadata();
  const widths = levelWidths(sourceWidth!);
  const top = widths.at(-1)!;

  // Work is roughly proportional to output pixels (two encodings per level): progress follows it.
  const levelWork = (width: number) => width * (width / 2) * 2;
  const total = widths.reduce((sum, width) => sum + levelWork(width), 0) + PREVIEW_WIDTH * PREVIEW_WIDTH;
  let done = 0;
  const advance = (pixels: number) => {
    done += pixels;
    context.progress(Math.min(99, Math.round(10 + (90 * done) / total)));
  };
  let pixels = await toPixels(source.resize(top, top / 2, { fit: 'fill' }).removeAlpha());
  context.progress(10);

  const levels: PanoramaLevel[] = [];
  for (const width of [...widths].reverse()) {
    const height = width / 2;
    if (pixels.width !== width) pixels = await toPixels(fromPixels(pixels).resize(width, height));
    const modern = context.format === 'avif'
      ? await fromPixels(pixels).avif({ quality: 50, effort: 2 }).toBuffer()
      : await fromPixels(pixels).webp({ quality: 80, effort: 2 }).toBuffer();
    const jpeg = await fromPixels(pixels).jpeg({ quality: 82, mozjpeg: false, progressive: true }).toBuffer();
    levels.unshift(
      { width, height, url: await store(context, modern, `image/${context.format}`), format: context.format },
      { width, height, url: await store(context, jpeg, 'image/jpeg'), format: 'jpeg' },
    );
    advance(levelWork(width));
  }

  const smallest = pixels;
  const inline = await inlinePreview(() => fromPixels(smallest));
  const previewUrl = await store(context, await fromPixels(smallest).resize(PREVIEW_WIDTH, PREVIEW_WIDTH / 2).jpeg({ quality: 70, mozjpeg: true }).toBuffer(), 'image/jpeg');
  const thumbnailUrl = await store(
    context,
    await fromPixels(smallest).resize(THUMBNAIL.width, THUMBNAIL.height, { fit: 'cover', position: 'centre' }).jpeg({ quality: 75, mozjpeg: true }).toBuffer(),
    'image/jpeg',
  );
  advance(PREVIEW_WIDTH * PREVIEW_WIDTH);
  return { inlinePreview: inline, previewUrl, levels, thumbnailUrl };
}

/** A floor plan or plain image: one WebP no wider than 4096 px, and a thumbnail. */
export async function processImage(file: string, context: PipelineContext): Promise<ImageVariants> {
  const source = sharp(file, { limitInputPixels: context.maxPixels }).rotate();
  const resized = source.clone().resize({ width: IMAGE_MAX_WIDTH, withoutEnlargement: true }).webp({ quality: 85 });
  const { data, info } = await resized.toBuffer({ resolveWithObject: true });
  const url = await store(context, data, 'image/webp');
  context.progress(70);
  const thumbnail = await source.clone().resize(THUMBNAIL.width, THUMBNAIL.height, { fit: 'inside', withoutEnlargement: true }).jpeg({ quality: 75 }).toBuffer();
  const thumbnailUrl = await store(context, thumbnail, 'image/jpeg');
  return { url, width: info.width, height: info.height, thumbnailUrl };
}
