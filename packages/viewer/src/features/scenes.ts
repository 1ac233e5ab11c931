import type { PropertyValues } from 'lit';
import type { Scene, TourDocument } from '@vr-tour/protocol';
import { BEACON_LIMITS } from '@vr-tour/protocol/beacon-limits';
import type { Constructor } from '../tour-element-base.js';
import { ReportedError, type LoadingElementBase } from './loading.js';
import { SceneChangeEvent, TourLoadEvent } from '../events.js';
import { format } from '../i18n.js';
import type { View } from '../math.js';
import type { PanoTexture } from '../renderer/types.js';

const SHARE_KEY = 'vr-tour=';

/** A view shared by `share()`: `#vr-tour=<tour>/<scene>/<yaw>/<pitch>/<fov>`. */
export function parseShared(hash: string, tourId: string): { sceneId: string; view: View } | null {
  const at = hash.indexOf(SHARE_KEY);
  if (at < 0) return null;
  const [tour, sceneId, yaw, pitch, fov] = decodeURIComponent(hash.slice(at + SHARE_KEY.length)).split('/');
  if (tour !== tourId || !sceneId) return null;
  return { sceneId, view: { yaw: Number(yaw) || 0, pitch: Number(pitch) || 0, fov: Number(fov) || 90 } };
}

export function sharedHash(tourId: string, sceneId: string, view: View): string {
  return `#${SHARE_KEY}${tourId}/${sceneId}/${view.yaw.toFixed(1)}/${view.pitch.toFixed(1)}/${view.fov.toFixed(0)}`;
}

export interface ScenesInterface {
  /**
   * Shows another scene (crossfading unless reduced motion is asked for).
   * Resolves once the scene is drawn sharp, or when a later call takes over.
   */
  goTo(sceneId: string, view?: Partial<View>): Promise<void>;
  /** Turns the camera; omitted values keep their current value. Degrees. */
  lookAt(yaw?: number, pitch?: number, fov?: number): void;
}

interface Pending {
  token: number;
  texture: PanoTexture | null;
  start: number;
  resolve: () => void;
}

/** Scenes: the start scene and pose, goTo/lookAt, crossfades, the live-region announcement, load timings. */
export const ScenesMixin = <T extends Constructor<LoadingElementBase>>(Base: T) => {
  class ScenesElement extends Base {
    private token = 0;
    private pending: Pending | null = null;
    private firstDrawn = false;
    private sharpening = false;

    protected override onTour(tour: TourDocument): void {
      super.onTour(tour);
      this.firstDrawn = false;
      const shared = parseShared(location.hash, tour.id);
      const scene = this.findScene(this.scene) ?? this.findScene(shared?.sceneId) ?? this.findScene(tour.initialSceneId) ?? tour.scenes[0]!;
      const base = shared?.sceneId === scene.id ? shared.view : scene.initialView;
      this.track({ type: 'view', sceneId: scene.id, referrer: document.referrer.slice(0, BEACON_LIMITS.referrerLength), embed: window.top === window ? 'element' : 'iframe' });
      void this.enter(scene, { yaw: this.yaw ?? base.yaw, pitch: this.pitch ?? base.pitch, fov: this.fov ?? base.fov });
    }

    // willUpdate, not updated: the scene and view changes below then join this
    // update instead of asking for another one.
    protected override willUpdate(changed: PropertyValues): void {
      super.willUpdate(changed);
      if (!this.tour || !this.currentScene) return;
      // The tour arrives after the first update: changes seen here were made to a shown tour.
      if (changed.has('scene') && this.scene && this.scene !== this.currentScene.id) void this.goTo(this.scene).catch(() => {});
      for (const key of ['yaw', 'pitch', 'fov'] as const) {
        if (changed.has(key) && this[key] !== undefined) this.setView({ [key]: this[key] });
      }
    }

    private findScene(id: string | null | undefined): Scene | undefined {
      return id ? this.tour?.scenes.find((scene) => scene.id === id) : undefined;
    }

    goTo(sceneId: string, view?: Partial<View>): Promise<void> {
      const scene = this.findScene(sceneId);
      if (!scene) return Promise.reject(new RangeError(`no scene ${sceneId} in this tour`));
      this.interacted();
      return this.enter(scene, { ...scene.initialView, ...view });
    }

    lookAt(yaw = this.view.yaw, pitch = this.view.pitch, fov = this.view.fov): void {
      this.interacted();
      this.setView({ yaw, pitch, fov });
    }

    private enter(scene: Scene, view: View): Promise<void> {
      const previous = this.currentScene;
      this.currentScene = scene;
      this.setView(view);
      this.announcement = format(this.strings.scene, scene.title);
      this.dispatchEvent(new SceneChangeEvent({ sceneId: scene.id, previousSceneId: previous?.id ?? null, title: scene.title }));
      this.track({ type: 'scene_view', sceneId: scene.id });
      this.pending?.resolve();
      const done = new Promise<void>((resolve) => {
        this.pending = { token: ++this.token, texture: null, start: performance.now(), resolve };
      });
      if (this.near) this.present(scene);
      return done;
    }

    protected override present(scene: Scene): void {
      super.present(scene);
      const token = this.token;
      const pending = this.pending;
      void (async () => {
        const sharp = this.textures.load(scene, false);
        let shownPreview = false;
        try {
          // Switching with the sharp texture not ready: fade to the tiny preview first.
          if (!sharp.texture && this.pano.a && scene.panorama.inlinePreview) {
            const preview = await this.textures.load(scene, true).promise.catch(() => null);
            if (token !== this.token) return;
            if (preview && !sharp.texture) {
              this.show(preview, true);
              shownPreview = true;
            }
          }
          const texture = await sharp.promise;
          if (token !== this.token) return;
          if (pending) pending.texture = texture;
          this.show(texture, !shownPreview);
        } catch (error) {
          const reported = error instanceof ReportedError || (error as Error)?.name === 'AbortError';
          if (token === this.token && !reported) this.fail('image', String(error));
        }
      })();
    }

    /** Puts a texture on screen, fading from the current one when allowed. */
    private show(texture: PanoTexture, fade: boolean): void {
      const { a, b } = this.pano;
      const current = b ?? a;
      if (current === texture) return this.invalidate();
      const reduced = matchMedia('(prefers-reduced-motion: reduce)').matches;
      const settings = this.tour?.settings;
      if (b && !fade) {
        // Keep the fade that is running, towards the better texture.
        this.pano = { ...this.pano, b: texture };
      } else if (fade && current && !reduced && settings?.transition !== 'none' && (settings?.transitionMs ?? 600) > 0) {
        this.pano = { a: current, b: texture, mix: 0, fadeStart: 0 };
      } else {
        this.pano = { a: texture, b: null, mix: 0, fadeStart: 0 };
      }
      // Scenes left behind go now, not at the next idle moment: quick switches must not pile up textures.
      this.textures.retainAround(this.currentScene!);
      this.invalidate();
    }

    protected override tick(now: number): boolean {
      let moving = super.tick(now);
      const pano = this.pano;
      if (pano.b) {
        pano.fadeStart ||= now;
        pano.mix = (now - pano.fadeStart) / (this.tour?.settings.transitionMs || 600);
        if (pano.mix >= 1) {
          this.pano = { a: pano.b, b: null, mix: 0, fadeStart: 0 };
          this.textures.release();
        } else moving = true;
      }
      return moving;
    }

    override drawn(now: number): void {
      super.drawn(now);
      const pending = this.pending;
      if (!pending) return this.sharpen();
      if (!pending.texture || this.pano.a !== pending.texture || this.pano.b) return;
      this.pending = null;
      const scene = this.currentScene!;
      const at = performance.now();
      if (!this.firstDrawn) {
        this.firstDrawn = true;
        this.track({ type: 'performance', sceneId: scene.id, metric: 'first_panorama', value: Math.min(at, BEACON_LIMITS.metricValueMax) });
        this.dispatchSettled(new TourLoadEvent({ tourId: this.tour!.id, sceneId: scene.id, timeToFirstPanorama: at }));
      } else {
        this.track({ type: 'performance', sceneId: scene.id, metric: 'scene_switch', value: Math.min(at - pending.start, BEACON_LIMITS.metricValueMax) });
      }
      pending.resolve();
      // Neighbours load once the browser is idle, so their fetch and decode do
      // not compete with presenting the frame just drawn.
      // Not for an element removed or scrolled far away meanwhile: nothing would ever release them.
      const preload = () => this.near && this.currentScene === scene && this.textures.preloadAround(scene);
      if (typeof requestIdleCallback === 'function') requestIdleCallback(preload, { timeout: 1000 });
      else setTimeout(preload, 50);
    }

    /** Swaps in a sharper level of the scene on screen once the element needs one (no fade: same image). */
    private sharpen(): void {
      const scene = this.currentScene;
      if (this.sharpening || !scene || this.pano.b) return;
      const sharper = this.textures.sharper(scene);
      if (!sharper) return;
      this.sharpening = true;
      const token = this.token;
      sharper.promise
        .then((texture) => token === this.token && this.show(texture, false), () => {})
        .finally(() => (this.sharpening = false));
    }
  }
  return ScenesElement as unknown as Constructor<ScenesInterface> & T;
};
