import { createHash } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEMO_AUDIO, DEMO_VIDEO, demoChimeWav, demoVideo } from './demo-media.js';
import { DEMO_ROOMS, type DemoRoom, type DemoRoomId } from './demo-tour.js';
import { encodePanorama } from './encode.js';
import { renderRoom } from './panorama.js';

/**
 * Writes the demo tour's media into a folder: per scene the panorama levels,
 * a preview, a thumbnail and an inline preview; plus the audio and video
 * files. File names carry a hash of their content, so a server may serve them
 * as immutable. A manifest records what was made from which parameters, and a
 * second run with the same parameters returns it without touching a file.
 */

/** Bump when the pictures or sounds change in a way the parameters below do not show. */
const GENERATOR_VERSION = 1;
export const LEVEL_WIDTHS = [2048, 4096] as const;
export const PREVIEW_WIDTH = 512;
export const THUMBNAIL_WIDTH = 400;
export const INLINE_PREVIEW_WIDTH = 64;
const JPEG_QUALITY = 82;
const INLINE_PREVIEW_QUALITY = 60;
const MANIFEST_FILE = 'manifest.json';

export interface AssetFile {
  /** Relative to the assets folder. */
  path: string;
  bytes: number;
  sha256: string;
  contentType: string;
}

export interface ImageAsset extends AssetFile {
  width: number;
  height: number;
  format: 'jpeg';
}

export interface SceneAssets {
  /** Full-resolution panoramas, smallest first. */
  levels: ImageAsset[];
  preview: ImageAsset;
  thumbnail: ImageAsset;
  /** A tiny JPEG panorama as a data: URI. */
  inlinePreview: string;
}

export interface DemoAssets {
  /** Hash of the generator's parameters; a different one means regenerate. */
  generator: string;
  scenes: Record<DemoRoomId, SceneAssets>;
  audio: AssetFile;
  video: AssetFile & { width: number; height: number };
  videoPoster: ImageAsset;
}

export const DEMO_GENERATOR_HASH = createHash('sha256')
  .update(
    JSON.stringify({
      GENERATOR_VERSION,
      rooms: DEMO_ROOMS,
      LEVEL_WIDTHS,
      PREVIEW_WIDTH,
      THUMBNAIL_WIDTH,
      INLINE_PREVIEW_WIDTH,
      JPEG_QUALITY,
      INLINE_PREVIEW_QUALITY,
      DEMO_AUDIO,
      DEMO_VIDEO,
    }),
  )
  .digest('hex')
  .slice(0, 16);

/** Every file of the assets, each once (the inline previews are data: URIs, not files). */
export function filesOf(assets: DemoAssets): AssetFile[] {
  const sceneFiles = Object.values(assets.scenes).flatMap((scene) => [...scene.levels, scene.preview, scene.thumbnail]);
  return [...sceneFiles, assets.audio, assets.video, assets.videoPoster];
}

async function sizeOf(file: string): Promise<number | null> {
  try {
    return (await stat(file)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function readManifest(outDir: string): Promise<DemoAssets | null> {
  try {
    return JSON.parse(await readFile(path.join(outDir, MANIFEST_FILE), 'utf8')) as DemoAssets;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || error instanceof SyntaxError) return null;
    throw error;
  }
}

async function isComplete(outDir: string, assets: DemoAssets): Promise<boolean> {
  const files = filesOf(assets);
  const sizes = await Promise.all(files.map((file) => sizeOf(path.join(outDir, file.path))));
  return sizes.every((size, index) => size === files[index]!.bytes);
}

/** Write-then-rename, so a reader (or a concurrent run) never sees half a file. */
async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const temporary = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, file);
}

async function writeAsset(outDir: string, stem: string, extension: string, contentType: string, data: Buffer): Promise<AssetFile> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const name = `${stem}-${sha256.slice(0, 12)}.${extension}`;
  if ((await sizeOf(path.join(outDir, name))) !== data.length) await writeFileAtomic(path.join(outDir, name), data);
  return { path: name, bytes: data.length, sha256, contentType };
}

async function writeJpeg(outDir: string, stem: string, data: Buffer, width: number, height: number): Promise<ImageAsset> {
  const file = await writeAsset(outDir, stem, 'jpg', 'image/jpeg', data);
  return { ...file, width, height, format: 'jpeg' };
}

async function sceneAssets(outDir: string, room: DemoRoom): Promise<SceneAssets> {
  // Render once at the largest size; the smaller images are downscaled, which also smooths edges.
  const image = renderRoom(room, Math.max(...LEVEL_WIDTHS));
  const panorama = async (stem: string, width: number): Promise<ImageAsset> =>
    writeJpeg(outDir, `${room.id}-${stem}`, await encodePanorama(image, width, 'jpeg', JPEG_QUALITY), width, width / 2);
  const [levels, preview, thumbnail, inlineJpeg] = await Promise.all([
    Promise.all(LEVEL_WIDTHS.map((width) => panorama(String(width), width))),
    panorama('preview', PREVIEW_WIDTH),
    panorama('thumbnail', THUMBNAIL_WIDTH),
    encodePanorama(image, INLINE_PREVIEW_WIDTH, 'jpeg', INLINE_PREVIEW_QUALITY),
  ]);
  return { levels, preview, thumbnail, inlinePreview: `data:image/jpeg;base64,${inlineJpeg.toString('base64')}` };
}

/** Generates the demo assets into `outDir`, or returns the manifest already there if it is current and complete. */
export async function generateDemoAssets(outDir: string): Promise<DemoAssets> {
  const previous = await readManifest(outDir);
  if (previous?.generator === DEMO_GENERATOR_HASH && (await isComplete(outDir, previous))) return previous;

  await mkdir(outDir, { recursive: true });
  const scenes = {} as Record<DemoRoomId, SceneAssets>;
  // Rooms render one after another (rendering is synchronous); sharp encodes on its own threads meanwhile.
  const pending = DEMO_ROOMS.map(async (room) => {
    scenes[room.id] = await sceneAssets(outDir, room);
  });
  const { webm, poster } = await demoVideo();
  const [audio, video, videoPoster] = await Promise.all([
    writeAsset(outDir, 'demo-chime', 'wav', 'audio/wav', demoChimeWav()),
    writeAsset(outDir, 'demo-video', 'webm', 'video/webm', webm),
    writeJpeg(outDir, 'demo-video-poster', poster, DEMO_VIDEO.width, DEMO_VIDEO.height),
  ]);
  await Promise.all(pending);

  const assets: DemoAssets = {
    generator: DEMO_GENERATOR_HASH,
    scenes,
    audio,
    video: { ...video, width: DEMO_VIDEO.width, height: DEMO_VIDEO.height },
    videoPoster,
  };
  await writeFileAtomic(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(assets, null, 2)}\n`);
  if (previous) {
    // Files of an older generation that this one did not reproduce.
    const kept = new Set(filesOf(assets).map((file) => file.path));
    const stale = filesOf(previous).filter((file) => !kept.has(file.path));
    await Promise.all(stale.map((file) => rm(path.join(outDir, path.basename(file.path)), { force: true })));
  }
  return assets;
}

async function runCli(outDir: string | undefined): Promise<void> {
  if (!outDir) {
    console.error('usage: node --import tsx demo/src/generate.ts OUTDIR');
    process.exitCode = 2;
    return;
  }
  const started = performance.now();
  const assets = await generateDemoAssets(path.resolve(outDir));
  const files = filesOf(assets);
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  console.log(
    `demo assets in ${outDir}: ${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, ${Math.round(performance.now() - started)} ms`,
  );
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  runCli(process.argv[2]).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
