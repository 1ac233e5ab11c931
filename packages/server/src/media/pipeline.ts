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
  /** Keys this run created, so a failure can remove exactly those. */
  created: string[];
}

/** The widths of a panorama's levels: the standard ones it can fill, or its own width when smaller than all. */
export function levelWidths(sourceWidth: number): number[] {
  const widths = LEVEL_WIDTHS.filter((width) => width <= sourceWidth);
  return widths.length ? widths : [sourceWidth];
}

async function store(context: PipelineContext, data: Buffer, contentType: string): Promise<string> {
  const key = contentKey(data, contentType);
  if (await context.storage.put(key, data, contentType)) context.created.push(key);
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

/**
 * Makes every output of an equirectangular panorama: the inline preview, a
 * ~512 px preview, levels at 2048/4096/8192 wide (never upscaled) each in
 * the modern format and JPEG, and a 16:9 thumbnail from the centre.
 *
 * The source is decoded once into raw pixels at the largest level's size;
 * every output is resized from that, instead of decoding the file again per
 * output (an 8192x4096 JPEG decode costs more than most resizes).
 */
export async function processPanorama(file: string, context: PipelineContext): Promise<PanoramaVariants> {
  const source = sharp(file, { limitInputPixels: context.maxPixels }).rotate();
  const { width: sourceWidth } = await source.metadata();
  const widths = levelWidths(sourceWidth!);
  const top = widths.at(-1)!;
  const { data, info } = await source.resize(top, top / 2, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const decoded = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });

  // Work is roughly proportional to output pixels (two encodings per level): progress follows it.
  const levelWork = (width: number) => width * (width / 2) * 2;
  const total = widths.reduce((sum, width) => sum + levelWork(width), 0) + PREVIEW_WIDTH * PREVIEW_WIDTH;
  let done = 0;
  const advance = (pixels: number) => {
    done += pixels;
    context.progress(Math.min(99, Math.round(10 + (90 * done) / total)));
  };
  context.progress(10);

  const inline = await inlinePreview(decoded);
  const previewUrl = await store(context, await decoded().resize(PREVIEW_WIDTH, PREVIEW_WIDTH / 2).jpeg({ quality: 70, mozjpeg: true }).toBuffer(), 'image/jpeg');
  const thumbnailUrl = await store(
    context,
    await decoded().resize(THUMBNAIL.width, THUMBNAIL.height, { fit: 'cover', position: 'centre' }).jpeg({ quality: 75, mozjpeg: true }).toBuffer(),
    'image/jpeg',
  );
  advance(PREVIEW_WIDTH * PREVIEW_WIDTH);

  const levels: PanoramaLevel[] = [];
  for (const width of widths) {
    const height = width / 2;
    // A fresh pipeline per encoding: clone() of a raw-input pipeline measured ~1.3 s of CPU more per 8192 level.
    const resized = () => (width === top ? decoded() : decoded().resize(width, height));
    const modern = context.format === 'avif'
      ? await resized().avif({ quality: 50, effort: 2 }).toBuffer()
      : await resized().webp({ quality: 80, effort: 2 }).toBuffer();
    levels.push({ width, height, url: await store(context, modern, `image/${context.format}`), format: context.format });
    const jpeg = await resized().jpeg({ quality: 82, mozjpeg: false, progressive: true }).toBuffer();
    levels.push({ width, height, url: await store(context, jpeg, 'image/jpeg'), format: 'jpeg' });
    advance(levelWork(width));
  }
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
