import { html, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { TourDocument } from '@vr-tour/protocol';
import type { Constructor, TourElementBase } from '../tour-element-base.js';
import { sharedContext } from '../renderer/context.js';
import { TextureCache } from '../renderer/texture-cache.js';
import type { SharedRenderer } from '../renderer/types.js';
import { madeContext } from '../renderer/context.js';
import type { TourStrings } from '../i18n.js';
import { sharpFov } from '../math.js';

type RendererModule = typeof import('../renderer/renderer.js');

let rendererModule: Promise<RendererModule> | null = null;
let loadedModule: RendererModule | null = null;

/** The renderer chunk once it has loaded (debug hooks read it), else null. */
export const loadedRenderer = (): RendererModule | null => loadedModule;

/** A failure already shown in the element and dispatched as `error`: whoever catches it reports nothing more. */
export class ReportedError extends Error {
  override name = 'ReportedError';
}

// One pair of observers for every element on the page, made on first use.
let nearObserver: IntersectionObserver | null = null;
let visibleObserver: IntersectionObserver | null = null;

function observe(element: LoadingElementBase): void {
  nearObserver ??= new IntersectionObserver(
    (entries) =>
      entries.forEach((entry) => {
        const element = entry.target as LoadingElementBase;
        if (entry.isIntersecting) element.nearViewport();
        else element.farFromViewport();
      }),
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

/** The public side of loading. */
export interface LoadingInterface {
  /** Bytes of decoded panorama textures kept for neighbouring scenes (default 64 MiB). */
  preloadBudget: number;
}

/** The protected side, used by the other mixins. */
export declare class LoadingElementBase extends TourElementBase {
  preloadBudget: number;
  nearViewport(): void;
  farFromViewport(): void;
  visibility(visible: boolean): void;
  protected textures: TextureCache;
  protected rendererReady(): Promise<SharedRenderer>;
}

/**
 * Loading: the tour document, and the lazy renderer chunk (near the viewport
 * or `loading="eager"`); the element's panorama textures are a
 * `TextureCache` (`renderer/texture-cache.ts`). Shows the first panorama's
 * download progress, and keeps zoom within what the scene's largest level
 * shows sharp.
 */
export const LoadingMixin = <T extends Constructor<TourElementBase>>(Base: T) => {
  class LoadingElement extends Base {
    preloadBudget = 64 * 1024 * 1024;
    protected textures = new TextureCache({
      neededWidth: () => ((this.cssWidth || this.clientWidth) * Math.min(devicePixelRatio || 1, 2) * 360) / this.view.fov,
      preloadBudget: () => this.preloadBudget,
      findScene: (id) => this.tour?.scenes.find((scene) => scene.id === id),
      onScreen: () => [this.pano.a, this.pano.b],
      resolve: (url) => this.resolve(url),
      renderer: () => this.rendererReady(),
      progress: (loaded, total) => {
        if (!this.shown) this.progress = Math.min(loaded / total, 1);
      },
    });
    /** The first panorama's download (0-1), or null while its size is unknown. */
    @state() private progress: number | null = null;
    private documentController: AbortController | null = null;
    /** Settles once the tour document was handled (its first panorama requested) or failed. */
    private documentLoaded: Promise<void> = Promise.resolve();
    private rendererPromise: Promise<SharedRenderer> | null = null;
    /** True once the near-viewport observer saw the element near. */
    private wasNear = false;

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
        this.textures.clear();
      });
    }

    // Before rendering, not after: the tour document is the first request on the way to a picture.
    protected override willUpdate(changed: PropertyValues): void {
      super.willUpdate(changed);
      if (changed.has('src')) this.documentLoaded = this.fetchTour();
      if (changed.has('loading') && this.loading === 'eager') this.nearViewport();
    }

    nearViewport(): void {
      this.wasNear = true;
      if (this.near) return;
      this.near = true;
      this.rendererReady().then(
        () => this.currentScene && !this.pano.a && this.present(this.currentScene),
        () => {},
      );
    }

    /**
     * Scrolled far from the viewport: lets go of every texture (another element
     * showing the same image keeps it). Only after it was near, so that an
     * eager element loads at once wherever it is.
     */
    farFromViewport(): void {
      if (!this.wasNear) return;
      this.wasNear = this.near = false;
      this.shown = false;
      this.pano = { a: null, b: null, mix: 0, fadeStart: 0 };
      this.textures.clear();
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
        if (response.status === 400) return this.fail('bad-id', `tour ${this.src}: 400`);
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

    protected override fovMin(): number {
      const scene = this.currentScene;
      const levels = scene?.panorama.levels ?? [];
      const largest = Math.min(Math.max(0, ...levels.map((level) => level.width)), madeContext()?.maxTextureSize ?? Infinity);
      if (!scene || !largest) return super.fovMin();
      // The creator's start view keeps its framing (the share page's social card shows the same
      // view) even on a screen wider than its largest level fills sharply; zooming in stops there.
      return Math.max(super.fovMin(), Math.min(sharpFov(largest, this.cssWidth || this.clientWidth), scene.initialView.fov));
    }

    protected override resize(): void {
      super.resize();
      // Wider now: the narrowest sharp view is wider too.
      if (this.view.fov < this.fovMin()) this.setView({});
    }

    protected override renderLoading(strings: TourStrings): TemplateResult {
      const percent = this.progress === null ? null : Math.round(this.progress * 100);
      return html`<div class="msg" part="loading">
        ${strings.loading}${percent === null ? '' : ` ${percent}%`}
        ${percent === null ? html`<progress aria-label=${strings.loading}></progress>` : html`<progress aria-label=${strings.loading} max="100" .value=${percent}></progress>`}
      </div>`;
    }

    private reset(): void {
      this.progress = null;
      this.tour = null;
      this.currentScene = null;
      this.errorReason = null;
      this.shown = false;
      this.pano = { a: null, b: null, mix: 0, fadeStart: 0 };
      this.textures.clear();
    }
  }
  return LoadingElement as unknown as Constructor<LoadingInterface> & Constructor<LoadingElementBase> & T;
};
