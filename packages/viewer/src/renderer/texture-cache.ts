import type { PanoramaLevel, Scene } from '@vr-tour/protocol';
import { madeContext, sharedContext } from './context.js';
import { decodeDataUri, decodeUrl } from './decode.js';
import type { PanoTexture, SharedRenderer } from './types.js';

/** Until the GPU is known, levels are capped at a size every WebGL 2 device takes. */
const SAFE_TEXTURE_SIZE = 4096;

/** One panorama texture, loading or uploaded. `key` is the scene id, plus `:p` for the tiny preview. */
export interface TextureEntry {
  key: string;
  /** Width of the level chosen (the decoded image may be smaller when the level exceeds the GPU's limit). */
  width: number;
  bytes: number;
  texture: PanoTexture | null;
  promise: Promise<PanoTexture>;
  /** Lets go of the shared texture behind this entry (once). */
  release(): void;
}

/** A decoded image on the GPU, shared by every element that shows it at that width. */
interface SharedTexture {
  refs: number;
  promise: Promise<PanoTexture>;
  controller: AbortController;
}

/**
 * The page's panorama textures by image URL and width: twelve copies of a
 * tour hold each panorama once. The last element to let go of one aborts its
 * download or disposes it.
 */
const pool = new Map<string, SharedTexture>();

function acquire(key: string, decode: (signal: AbortSignal) => Promise<ImageBitmap>, renderer: () => Promise<SharedRenderer>): SharedTexture {
  let shared = pool.get(key);
  if (!shared) {
    const controller = new AbortController();
    const made: SharedTexture = (shared = {
      refs: 0,
      controller,
      promise: decode(controller.signal).then(async (bitmap) => (await renderer()).upload(bitmap)),
    });
    made.promise.catch(() => pool.get(key) === made && pool.delete(key));
    pool.set(key, made);
  }
  shared.refs += 1;
  return shared;
}

function unref(key: string, shared: SharedTexture): void {
  if ((shared.refs -= 1) > 0) return;
  if (pool.get(key) === shared) pool.delete(key);
  shared.controller.abort();
  shared.promise.then((texture) => texture.dispose(), () => {});
}

/** What a texture cache asks of the element it serves. */
export interface TextureCacheHost {
  /** Device pixels the element spans across 360° at its current size and fov. */
  neededWidth(): number;
  /** Bytes of decoded textures that may be kept for neighbouring scenes. */
  preloadBudget(): number;
  findScene(id: string): Scene | undefined;
  /** The textures on screen: never released. */
  onScreen(): ReadonlyArray<PanoTexture | null>;
  /** Resolves a URL of the tour document. */
  resolve(url: string): string;
  renderer(): Promise<SharedRenderer>;
  /** Download progress of a scene's sharp panorama. */
  progress(loaded: number, total: number): void;
}

/**
 * An element's panorama textures: the level each scene needs within the GPU's
 * limit, off-thread decoding and upload, the neighbours kept under a byte
 * budget, and disposal of every texture left behind.
 */
export class TextureCache {
  private readonly entries = new Map<string, TextureEntry>();
  private retained = new Set<string>();

  constructor(private readonly host: TextureCacheHost) {}

  /**
   * The smallest level that covers the element at the current fov, within the
   * GPU's limit `max` (MAX_TEXTURE_SIZE); when none covers it, the largest that fits.
   */
  private pickLevel(scene: Scene, max = madeContext()?.maxTextureSize ?? SAFE_TEXTURE_SIZE): { level: PanoramaLevel; width: number } {
    const levels = [...scene.panorama.levels].sort((a, b) => a.width - b.width);
    const needed = this.host.neededWidth();
    const fitting = levels.filter((level) => level.width <= max);
    const level = fitting.find((candidate) => candidate.width >= needed) ?? fitting[fitting.length - 1] ?? levels[0]!;
    return { level, width: Math.min(level.width, max) };
  }

  /** The scene's texture (its tiny preview with `preview`), loading it unless it is kept already. */
  load(scene: Scene, preview: boolean): TextureEntry {
    const key = preview ? `${scene.id}:p` : scene.id;
    const existing = this.entries.get(key);
    if (existing) return existing;
    if (!preview && !madeContext() && this.pickLevel(scene, Infinity).width > this.pickLevel(scene).width) {
      // A level above the safe size would serve better: learn the GPU's limit before choosing.
      sharedContext();
    }
    const { level, width } = this.pickLevel(scene);
    const source = preview ? scene.panorama.inlinePreview! : this.host.resolve(level.url);
    const poolKey = `${preview ? 0 : width} ${source}`;
    const shared = acquire(
      poolKey,
      // The element that starts a download shows its progress.
      (signal) => (preview ? decodeDataUri(source) : decodeUrl(source, signal, width, (loaded, total) => this.host.progress(loaded, total))),
      this.host.renderer,
    );
    let released = false;
    const entry: TextureEntry = {
      key,
      width: preview ? 0 : width,
      bytes: preview ? 0 : width * (width / 2) * 4,
      texture: null,
      release: () => released || ((released = true), unref(poolKey, shared)),
      promise: shared.promise.then((texture) => {
        if (this.entries.get(key) !== entry) throw new DOMException('released', 'AbortError');
        return (entry.texture = texture);
      }),
    };
    entry.promise.catch(() => this.entries.get(key) === entry && (this.entries.delete(key), entry.release()));
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * When the element grew (full screen) or zoomed in past what the scene's
   * uploaded level resolves, starts loading the level it needs now and
   * returns it; the texture on screen stays until it is replaced. Else null.
   */
  sharper(scene: Scene): TextureEntry | null {
    const current = this.entries.get(scene.id);
    if (!current?.texture || this.pickLevel(scene).width <= current.width) return null;
    // Kept under another key, not retained: released once the sharper texture replaced it on screen.
    this.entries.delete(scene.id);
    this.entries.set(`${scene.id}:replaced`, current);
    return this.load(scene, false);
  }

  /** The scene, then the scenes one hotspot away, nearest first, whose textures fit the preload budget. */
  private scenesToKeep(scene: Scene): Scene[] {
    const keep = [scene];
    const budget = this.host.preloadBudget();
    let bytes = 0;
    for (const hotspot of scene.hotspots) {
      if (hotspot.type !== 'navigation' || keep.some((kept) => kept.id === hotspot.targetSceneId)) continue;
      const target = this.host.findScene(hotspot.targetSceneId);
      if (!target) continue;
      const { width } = this.pickLevel(target);
      bytes += width * (width / 2) * 4;
      if (bytes > budget) break;
      keep.push(target);
    }
    return keep;
  }

  /** Keeps the textures of `scenesToKeep` and lets go of every other. */
  retainAround(scene: Scene): Scene[] {
    const keep = this.scenesToKeep(scene);
    this.retained = new Set(keep.map((kept) => kept.id));
    this.release();
    return keep;
  }

  /** Starts loading the neighbours kept by `scenesToKeep`, and lets go of every other texture. */
  preloadAround(scene: Scene): void {
    for (const neighbour of this.retainAround(scene).slice(1)) this.load(neighbour, false).promise.catch(() => {});
  }

  /** Disposes every texture that is neither on screen nor retained. */
  release(): void {
    const onScreen = this.host.onScreen();
    for (const [key, entry] of this.entries) {
      if (this.retained.has(key) || (entry.texture && onScreen.includes(entry.texture))) continue;
      this.entries.delete(key);
      entry.release();
    }
  }

  /** Retains no scene any more, and disposes every texture not on screen. */
  clear(): void {
    this.retained.clear();
    this.release();
  }
}
