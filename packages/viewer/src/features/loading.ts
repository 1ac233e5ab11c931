import type { PropertyValues } from 'lit';
import type { PanoramaLevel, Scene, TourDocument } from '@vr-tour/protocol';
import type { Constructor, TourElementBase } from '../tour-element-base.js';
import { madeContext, sharedContext } from '../renderer/context.js';
import type { PanoTexture, SharedRenderer } from '../renderer/types.js';

type RendererModule = typeof import('../renderer/renderer.js');

let rendererModule: Promise<RendererModule> | null = null;
let loadedModule: RendererModule | null = null;

/** The renderer chunk once it has loaded (debug hooks read it), else null. */
export const loadedRenderer = (): RendererModule | null => loadedModule;

/** Until the GPU is known, levels are capped at a size every WebGL 2 device takes. */
const SAFE_TEXTURE_SIZE = 4096;

/** A failure already shown in the element and dispatched as `error`: whoever catches it reports nothing more. */
export class ReportedError extends Error {
  override name = 'ReportedError';
}

/** One panorama texture, loading or uploaded. `key` is the scene id, plus `:p` for the tiny preview. */
interface TextureEntry {
  key: string;
  /** Width of the level chosen (the decoded image may be smaller when the level exceeds the GPU's limit). */
  width: number;
  bytes: number;
  texture: PanoTexture | null;
  promise: Promise<PanoTexture>;
  controller: AbortController;
}

// One pair of observers for every element on the page, made on first use.
let nearObserver: IntersectionObserver | null = null;
let visibleObserver: IntersectionObserver | null = null;

function observe(element: LoadingElementBase): void {
  nearObserver ??= new IntersectionObserver(
    (entries) => entries.forEach((entry) => entry.isIntersecting && (entry.target as LoadingElementBase).nearViewport()),
    { rootMargin: '50% 0px' },
  );
  visibleObserver ??= new IntersectionObserver((entries) =>
    entries.forEach((entry) => (entry.target as LoadingElementBase).visibility(entry.isIntersecting)),
  );
  nearObserver.observe(element);
  visibleObserver.observe(element);
}

function unobserve(element: Element): void {
  nearObserver?.unobserve(element);
  visibleObserver?.unobserve(element);
}

async function decodeUrl(url: string, signal: AbortSignal, maxWidth: number): Promise<ImageBitmap> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`${response.status} for ${url}`);
  const blob = await response.blob();
  // createImageBitmap decodes off the main thread; rows stay top-down (the shader expects that).
  // Default options: asking for no colour conversion or no premultiplication
  // made Chromium's decode of an opaque 4096x2048 JPEG ~1.7x slower (bench/viewer).
  const bitmap = await createImageBitmap(blob);
  if (bitmap.width <= maxWidth) return bitmap;
  const resized = await createImageBitmap(bitmap, { resizeWidth: maxWidth, resizeHeight: maxWidth / 2, resizeQuality: 'high' });
  bitmap.close();
  return resized;
}

async function decodeDataUri(uri: string): Promise<ImageBitmap> {
  // An <img> (img-src) rather than fetch (connect-src) keeps strict CSPs happy.
  const image = new Image();
  image.src = uri;
  await image.decode();
  return createImageBitmap(image);
}

/** The public side of loading. */
export interface LoadingInterface {
  /** Bytes of decoded panorama textures kept for neighbouring scenes (default 64 MiB). */
  preloadBudget: number;
}

/** The protected side, used by the other mixins. */
export declare class LoadingElementBase extends TourElementBase {
  preloadBudget: number;
  nearViewport(): void;
  visibility(visible: boolean): void;
  protected textures: Map<string, TextureEntry>;
  protected retained: Set<string>;
  protected loadTexture(scene: Scene, preview: boolean): TextureEntry;
  protected sharperTexture(scene: Scene): TextureEntry | null;
  protected releaseTextures(): void;
  protected retainAround(scene: Scene): Scene[];
  protected preloadAround(scene: Scene): void;
  protected rendererReady(): Promise<SharedRenderer>;
}

/**
 * Loading: the tour document, the lazy renderer chunk (near the viewport or
 * `loading="eager"`), level choice, off-thread decoding, neighbour preloading
 * under a byte budget, and disposal of textures left behind.
 */
export const LoadingMixin = <T extends Constructor<TourElementBase>>(Base: T) => {
  class LoadingElement extends Base {
    preloadBudget = 64 * 1024 * 1024;
    protected textures = new Map<string, TextureEntry>();
    protected retained = new Set<string>();
    private documentController: AbortController | null = null;
    /** Settles once the tour document was handled (its first panorama requested) or failed. */
    private documentLoaded: Promise<void> = Promise.resolve();
    private rendererPromise: Promise<SharedRenderer> | null = null;

    override connectedCallback(): void {
      super.connectedCallback();
      observe(this as unknown as LoadingElementBase);
    }

    override disconnectedCallback(): void {
      super.disconnectedCallback();
      unobserve(this);
      this.visible = false;
      // Moving an element disconnects and reconnects it in one task: free the GPU only if it stays out.
      queueMicrotask(() => {
        if (this.isConnected) return;
        this.near = false;
        this.rendererPromise = null;
        this.shown = false;
        this.pano = { a: null, b: null, mix: 0, fadeStart: 0 };
        this.retained.clear();
        this.releaseTextures();
      });
    }

    // Before rendering, not after: the tour document is the first request on the way to a picture.
    protected override willUpdate(changed: PropertyValues): void {
      super.willUpdate(changed);
      if (changed.has('src')) this.documentLoaded = this.fetchTour();
      if (changed.has('loading') && this.loading === 'eager') this.nearViewport();
    }

    nearViewport(): void {
      if (this.near) return;
      this.near = true;
      this.rendererReady().then(
        () => this.currentScene && !this.pano.a && this.present(this.currentScene),
        () => {},
      );
    }

    visibility(visible: boolean): void {
      this.visible = visible;
      if (visible) this.invalidate();
    }

    protected rendererReady(): Promise<SharedRenderer> {
      return (this.rendererPromise ??= (async () => {
        let module: RendererModule;
        try {
          module = await (rendererModule ??= import('../renderer/renderer.js'));
          loadedModule = module;
        } catch (error) {
          rendererModule = null;
          this.rendererPromise = null;
          this.fail('network', String(error));
          throw new ReportedError(String(error));
        }
        // Setting up the renderer holds this thread for a while (it waits on the GPU
        // process): a tour document arriving meanwhile is handled first, so its
        // panorama downloads during the set-up instead of after it.
        if (!module.rendererStats()) await this.documentLoaded;
        const context = sharedContext();
        if (!context) {
          this.fail('webgl-unavailable', 'WebGL 2 is unavailable');
          throw new ReportedError('WebGL 2 is unavailable');
        }
        this.renderer = module.sharedRenderer(context);
        this.invalidate();
        return this.renderer;
      })());
    }

    private async fetchTour(): Promise<void> {
      this.documentController?.abort();
      this.reset();
      if (!this.src) return;
      const controller = (this.documentController = new AbortController());
      let tour: TourDocument;
      try {
        const response = await fetch(new URL(this.src, document.baseURI), {
          signal: controller.signal,
          headers: { accept: 'application/json' },
        });
        if (response.status === 404 || response.status === 410 || response.status === 403) {
          return this.fail('not-found', `tour ${this.src}: ${response.status}`);
        }
        if (!response.ok) return this.fail('network', `tour ${this.src}: ${response.status}`);
        tour = await response.json();
        if (tour?.version !== 1 || !Array.isArray(tour.scenes) || !tour.scenes.length) {
          return this.fail('network', 'not a tour document (version 1)');
        }
      } catch (error) {
        if (!controller.signal.aborted) this.fail('network', String(error));
        return;
      }
      if (controller.signal.aborted) return;
      this.tour = tour;
      this.onTour(tour);
    }

    private reset(): void {
      this.tour = null;
      this.currentScene = null;
      this.errorReason = null;
      this.shown = false;
      this.pano = { a: null, b: null, mix: 0, fadeStart: 0 };
      this.retained.clear();
      this.releaseTextures();
    }

    /**
     * The smallest level that covers the element at the current fov, within the
     * GPU's limit `max` (MAX_TEXTURE_SIZE); when none covers it, the largest that fits.
     */
    private pickLevel(scene: Scene, max = madeContext()?.maxTextureSize ?? SAFE_TEXTURE_SIZE): { level: PanoramaLevel; width: number } {
      const levels = [...scene.panorama.levels].sort((a, b) => a.width - b.width);
      const cssWidth = this.cssWidth || this.clientWidth;
      const needed = (cssWidth * Math.min(devicePixelRatio || 1, 2) * 360) / this.view.fov;
      const fitting = levels.filter((level) => level.width <= max);
      const level = fitting.find((candidate) => candidate.width >= needed) ?? fitting[fitting.length - 1] ?? levels[0]!;
      return { level, width: Math.min(level.width, max) };
    }

    protected loadTexture(scene: Scene, preview: boolean): TextureEntry {
      const key = preview ? `${scene.id}:p` : scene.id;
      const existing = this.textures.get(key);
      if (existing) return existing;
      const controller = new AbortController();
      if (!preview && !madeContext() && this.pickLevel(scene, Infinity).width > this.pickLevel(scene).width) {
        // A level above the safe size would serve better: learn the GPU's limit before choosing.
        sharedContext();
      }
      const { level, width } = this.pickLevel(scene);
      const entry: TextureEntry = {
        key,
        width: preview ? 0 : width,
        bytes: preview ? 0 : width * (width / 2) * 4,
        texture: null,
        controller,
        promise: null!,
      };
      entry.promise = (async () => {
        const bitmap = preview
          ? await decodeDataUri(scene.panorama.inlinePreview!)
          : await decodeUrl(this.resolve(level.url), controller.signal, width);
        const renderer = await this.rendererReady();
        const texture = await renderer.upload(bitmap);
        if (this.textures.get(key) !== entry) {
          texture.dispose();
          throw new DOMException('released', 'AbortError');
        }
        entry.texture = texture;
        return texture;
      })();
      entry.promise.catch(() => this.textures.get(key) === entry && this.textures.delete(key));
      this.textures.set(key, entry);
      return entry;
    }

    /**
     * When the element grew (full screen) or zoomed in past what the scene's
     * uploaded level resolves, starts loading the level it needs now and
     * returns it; the texture on screen stays until it is replaced. Else null.
     */
    protected sharperTexture(scene: Scene): TextureEntry | null {
      const current = this.textures.get(scene.id);
      if (!current?.texture || this.pickLevel(scene).width <= current.width) return null;
      // Kept under another key, not retained: released once the sharper texture replaced it on screen.
      this.textures.delete(scene.id);
      this.textures.set(`${scene.id}:replaced`, current);
      return this.loadTexture(scene, false);
    }

    /** The scene, then the scenes one hotspot away, nearest first, whose textures fit the preload budget. */
    private scenesToKeep(scene: Scene): Scene[] {
      const keep = [scene];
      let bytes = 0;
      for (const hotspot of scene.hotspots) {
        if (hotspot.type !== 'navigation' || keep.some((kept) => kept.id === hotspot.targetSceneId)) continue;
        const target = this.tour?.scenes.find((candidate) => candidate.id === hotspot.targetSceneId);
        if (!target) continue;
        const { width } = this.pickLevel(target);
        bytes += width * (width / 2) * 4;
        if (bytes > this.preloadBudget) break;
        keep.push(target);
      }
      return keep;
    }

    /** Keeps the textures of `scenesToKeep` and lets go of every other. */
    protected retainAround(scene: Scene): Scene[] {
      const keep = this.scenesToKeep(scene);
      this.retained = new Set(keep.map((kept) => kept.id));
      this.releaseTextures();
      return keep;
    }

    /** Starts loading the neighbours kept by `scenesToKeep`, and lets go of every other texture. */
    protected preloadAround(scene: Scene): void {
      for (const neighbour of this.retainAround(scene).slice(1)) this.loadTexture(neighbour, false).promise.catch(() => {});
    }

    /** Disposes every texture that is neither on screen nor retained. */
    protected releaseTextures(): void {
      const { a, b } = this.pano;
      for (const [key, entry] of this.textures) {
        if (this.retained.has(key) || (entry.texture && (entry.texture === a || entry.texture === b))) continue;
        this.textures.delete(key);
        entry.controller.abort();
        entry.texture?.dispose();
      }
    }
  }
  return LoadingElement as unknown as Constructor<LoadingInterface> & Constructor<LoadingElementBase> & T;
};
