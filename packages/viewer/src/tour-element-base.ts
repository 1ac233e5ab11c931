import { html, LitElement, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { NewBeaconEvent, Scene, TourDocument } from '@vr-tour/protocol';
import { TourErrorEvent, ViewChangeEvent, type TourErrorReason, type VrTourEventMap } from './events.js';
import { stringsFor, uiLang, type TourStrings } from './i18n.js';
import { basis, FOV_MIN, normalizeView, tanHalf, type View } from './math.js';
import type { FrameSpec, PanoTexture, RenderTarget, SharedRenderer } from './renderer/types.js';
import { styles } from './styles.js';

/** What the panorama layer shows: `a`, with `b` fading in over it. */
export interface PanoState {
  a: PanoTexture | null;
  b: PanoTexture | null;
  mix: number;
  fadeStart: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Constructor<T = object> = new (...args: any[]) => T;

const DEFAULT_VIEW: View = { yaw: 0, pitch: 0, fov: 90 };

/**
 * The element's core: attributes, the view, the frame contract with the shared
 * renderer, error display and the shadow DOM skeleton. Features are mixins in
 * `features/`, composed in `vr-tour.ts`. Mixins extend the protected hooks
 * (`tick`, `drawn`, `onTour`, `present`, ...) and always call `super`.
 */
export class TourElementBase extends LitElement implements RenderTarget {
  static override styles = styles;

  /** URL of the tour document (`/api/v1/public/tours/:id`), absolute or relative to the page. */
  @property() src = '';

  /** Id of the scene to start in (default: the tour's initial scene). Changing it later goes to that scene. */
  @property() scene = '';

  /** Initial yaw in degrees (0 = centre of the panorama, positive turns right); overrides the scene's initial view. */
  @property({ type: Number }) yaw: number | undefined;

  /** Initial pitch in degrees (positive looks up). */
  @property({ type: Number }) pitch: number | undefined;

  /** Initial horizontal field of view in degrees (10-120). */
  @property({ type: Number }) fov: number | undefined;

  /**
   * Turns slowly after a while without interaction. A bare attribute uses the
   * tour's speed; a number sets degrees per second (negative turns left).
   */
  @property() autorotate: string | null = null;

  /** `lazy` (default): load the renderer and panoramas when the element nears the viewport. `eager`: at once. */
  @property() loading: 'lazy' | 'eager' = 'lazy';

  /** The control bar (zoom, autorotate, full screen, gyroscope on touch devices, share) shows unless this is `none`. */
  @property() controls: string | null = null;

  /** `off` sends no analytics at all. */
  @property() analytics: string | null = null;

  /**
   * `off`: no branding, for listing sites whose rules forbid it: no logo or
   * colours from the tour document, no link hotspots leading out of the tour,
   * and no share button.
   */
  @property() branding: 'on' | 'off' = 'on';

  /** Language of the UI strings (BCP 47); defaults to the closest `lang` in the page, then the browser's. */
  @property() override lang = '';

  /** The loaded tour document, or null. */
  @state() tour: TourDocument | null = null;
  /** The scene being shown, or null. */
  @state() currentScene: Scene | null = null;
  @state() protected errorReason: TourErrorReason | null = null;
  /** The technical message of the last error (the element shows a translated one). */
  errorMessage: string | null = null;
  @state() protected announcement = '';
  @state() protected shown = false;

  protected view: View = { ...DEFAULT_VIEW };
  protected pano: PanoState = { a: null, b: null, mix: 0, fadeStart: 0 };
  protected renderer: SharedRenderer | null = null;
  /** True once the element was near the viewport (or `loading="eager"`). */
  protected near = false;
  /** True while some of the element is on screen. */
  protected visible = false;
  protected cssWidth = 0;
  protected cssHeight = 0;
  protected lastInteraction = 0;
  private canvasEl: HTMLCanvasElement | null = null;
  private sharedCanvas: HTMLCanvasElement | null = null;
  private lastView: View | null = null;
  private resizeObserver: ResizeObserver | null = null;

  get canvas2d(): HTMLCanvasElement {
    return (this.canvasEl ??= this.renderRoot.querySelector('canvas')!);
  }

  /** The current view (degrees). */
  getView(): View {
    return { ...this.view };
  }

  /** The scene's id, or null before the tour loaded. */
  get sceneId(): string | null {
    return this.currentScene?.id ?? null;
  }

  protected get strings(): TourStrings {
    return stringsFor(uiLang(this));
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver ??= new ResizeObserver((entries) => {
      const box = entries[entries.length - 1]!.contentRect;
      this.cssWidth = box.width;
      this.cssHeight = box.height;
      this.resize();
      if (!this.shown) this.requestUpdate();
    });
    this.resizeObserver.observe(this);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    this.renderer?.remove(this);
  }

  protected resize(): void {
    const canvas = this.canvas2d;
    if (!canvas) return;
    const ratio = Math.min(devicePixelRatio || 1, 2);
    const width = Math.round(this.cssWidth * ratio);
    const height = Math.round(this.cssHeight * ratio);
    if (canvas.width !== width || canvas.height !== height) {
      canvas.width = width;
      canvas.height = height;
    }
    this.invalidate();
  }

  /** Asks the shared renderer for a frame (a no-op while off screen). */
  protected invalidate(): void {
    if (this.visible && this.renderer) this.renderer.invalidate(this);
  }

  /** Sets the view, kept within limits, and asks for a frame. */
  protected setView(view: Partial<View>): void {
    this.view = normalizeView({ ...this.view, ...view }, this.fovMin());
    this.invalidate();
    if (!this.shown) this.requestUpdate();
  }

  /** Marks user activity: stops autorotation for a while. */
  protected interacted(): void {
    this.lastInteraction = performance.now();
  }

  // ---- hooks for mixins -------------------------------------------------

  /** The narrowest field of view allowed now (degrees). */
  protected fovMin(): number {
    return FOV_MIN;
  }

  /** Dispatches `load` or `error` once the element shows that state. */
  protected dispatchSettled(event: Event): void {
    this.dispatchEvent(event);
  }

  /** What the element shows while the tour loads. */
  protected renderLoading(strings: TourStrings): TemplateResult {
    return html`<div class="msg" part="loading">${strings.loading}</div>`;
  }

  /** Advances animations; returns true while something still moves. */
  protected tick(_now: number): boolean {
    return false;
  }

  /** After a frame of this element reached its canvas. */
  drawn(_now: number): void {
    if (!this.shown && this.pano.a) this.shown = true;
    const { yaw, pitch, fov } = this.view;
    const last = this.lastView;
    if (this.currentScene && (!last || last.yaw !== yaw || last.pitch !== pitch || last.fov !== fov)) {
      this.lastView = { yaw, pitch, fov };
      this.dispatchEvent(new ViewChangeEvent({ yaw, pitch, fov, sceneId: this.currentScene.id }));
    }
  }

  /** The tour document arrived. */
  protected onTour(_tour: TourDocument): void {}

  /** Shows a scene's panorama (loading it if needed). */
  protected present(_scene: Scene): void {}

  /** Sends an event to the beacon (analytics mixin). */
  protected track(_event: NewBeaconEvent): void {}

  /** Resolves a URL of the tour document (media, collector) against the document's own URL. */
  resolve(url: string): string {
    return new URL(url, new URL(this.src, document.baseURI)).href;
  }

  // ---- RenderTarget -----------------------------------------------------

  frame(now: number): FrameSpec | null {
    const canvas = this.canvas2d;
    if (!this.visible || !this.pano.a || !canvas?.width || !canvas.height) return null;
    const animating = this.tick(now);
    const { a, b, mix } = this.pano;
    if (!a) return null;
    const { width, height } = canvas;
    const [fwd, right, up] = basis(this.view);
    return { camera: { fwd, right, up, tanHalf: tanHalf(this.view.fov, width, height) }, a, b, mix, width, height, animating };
  }

  get onScreen(): boolean {
    return this.visible;
  }

  showCanvas(canvas: HTMLCanvasElement | null): void {
    if (canvas) {
      canvas.className = 'on';
      canvas.setAttribute('part', 'canvas');
      // Right after the element's own canvas: under the hotspots, outside Lit's parts.
      this.canvas2d.after(canvas);
    } else if (this.sharedCanvas?.parentNode === this.canvas2d.parentNode) {
      this.sharedCanvas?.remove();
    }
    this.sharedCanvas = canvas;
  }

  contextLost(lost: boolean): void {
    if (lost) this.fail('context-lost', 'WebGL context lost');
    else {
      if (this.errorReason === 'context-lost') this.errorReason = null;
      this.invalidate();
    }
  }

  /** Shows the message for `reason` in the element and dispatches `error`. */
  protected fail(reason: TourErrorReason, message: string): void {
    this.errorReason = reason;
    this.errorMessage = message;
    console.warn('<vr-tour>', reason, message);
    this.dispatchSettled(new TourErrorEvent({ reason, message }));
  }

  // ---- rendering ----------------------------------------------------------

  protected renderHotspots(): TemplateResult | typeof nothing {
    return nothing;
  }

  protected renderControls(): TemplateResult | typeof nothing {
    return nothing;
  }

  /** Panels over the panorama besides the control bar (title, scene strip, floor plan, share dialog). */
  protected renderPanels(): TemplateResult | typeof nothing {
    return nothing;
  }

  protected previewStyle(): Record<string, string> {
    const preview = this.currentScene?.panorama.inlinePreview;
    if (!preview || this.shown) return {};
    // An equirectangular image is close to cylindrical near the horizon: scale it so
    // that fov spans the width and centre the view's yaw and pitch.
    const width = (this.cssWidth * 360) / this.view.fov;
    const height = width / 2;
    const x = this.cssWidth / 2 - ((this.view.yaw + 180) / 360) * width;
    const y = this.cssHeight / 2 - ((90 - this.view.pitch) / 180) * height;
    return {
      'background-image': `url("${preview}")`,
      'background-size': `${width}px ${height}px`,
      'background-position': `${x}px ${y}px`,
    };
  }

  protected override render(): TemplateResult {
    const strings = this.strings;
    const message = this.errorReason
      ? html`<div class="msg" part="error" role="alert">${strings[this.errorReason]}</div>`
      : this.shown || !this.src
        ? nothing
        : this.renderLoading(strings);
    return html`<div class="stage" part="stage">
      <div class="preview" part="preview"></div>
      <canvas part="canvas" class=${this.shown ? 'on' : ''}></canvas>
      ${this.renderHotspots()} ${this.renderControls()} ${this.renderPanels()} ${message}
      <div class="sr" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    // Through the CSSOM, never a style attribute: strict CSPs (no 'unsafe-inline') allow it.
    const preview = this.renderRoot.querySelector<HTMLElement>('.preview')!.style;
    const style = this.previewStyle();
    for (const name of ['background-image', 'background-size', 'background-position']) preview.setProperty(name, style[name] ?? null);
  }

  protected override firstUpdated(changed: PropertyValues): void {
    super.firstUpdated(changed);
    this.resize();
  }
}

// Typed listeners on the base (and so on every composed element).
export interface TourElementBase {
  addEventListener<K extends keyof VrTourEventMap>(
    type: K,
    listener: (this: TourElementBase, event: VrTourEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof VrTourEventMap>(
    type: K,
    listener: (this: TourElementBase, event: VrTourEventMap[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}
