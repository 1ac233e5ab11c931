import { TourElementBase } from './tour-element-base.js';
import { A11yMixin } from './features/a11y.js';
import { AnalyticsMixin } from './features/analytics.js';
import { ControlsMixin } from './features/controls.js';
import { HotspotsMixin } from './features/hotspots.js';
import { loadedRenderer, LoadingMixin } from './features/loading.js';
import { PanelsMixin } from './features/panels.js';
import { ScenesMixin } from './features/scenes.js';
import { ShareMixin } from './features/share.js';
import type { RendererStats } from './renderer/types.js';

export * from './events.js';
export { registerStrings, type TourStrings } from './i18n.js';
export { analyticsConfig } from './features/analytics.js';
export { registerHotspotType, type HotspotOfType } from './hotspot-types/registry.js';
export type { HotspotContent, HotspotHost, HotspotRenderer } from './hotspot-types/types.js';
export type { Hotspot, HotspotOf, Scene, TourDocument } from '@vr-tour/protocol';
export type { View } from './math.js';
export type { RendererStats } from './renderer/types.js';

/**
 * `<vr-tour>`: a 360° tour in one tag. Features are mixins over
 * `TourElementBase`, like @google/model-viewer's.
 *
 * @fires load - {@link TourLoadEvent}
 * @fires scene-change - {@link SceneChangeEvent}
 * @fires hotspot-click - {@link HotspotClickEvent}
 * @fires share - {@link ShareEvent}
 * @fires view-change - {@link ViewChangeEvent}
 * @fires error - {@link TourErrorEvent}
 */
export class VrTourElement extends A11yMixin(
  AnalyticsMixin(ControlsMixin(PanelsMixin(ShareMixin(HotspotsMixin(ScenesMixin(LoadingMixin(TourElementBase))))))),
) {
  /**
   * Debug hook (tests, tools): the shared renderer's counters — frames drawn,
   * draws copied into an element's canvas, live textures
   * (`renderer.info.memory.textures`) — or null before the renderer chunk loaded.
   */
  static rendererStats(): RendererStats | null {
    return loadedRenderer()?.rendererStats() ?? null;
  }
}

const defined = new Set<CustomElementConstructor>();

/**
 * Defines the element under `tagName` (default `vr-tour`) and returns its
 * class. Safe to call again, and from two copies of the bundle on one page.
 */
export function defineVrTour(tagName = 'vr-tour'): CustomElementConstructor {
  const existing = customElements.get(tagName);
  if (existing) return existing;
  // A class can be registered only once: other names get a subclass.
  const element = defined.has(VrTourElement) ? class extends VrTourElement {} : VrTourElement;
  customElements.define(tagName, element);
  defined.add(element);
  return element;
}

if (typeof customElements !== 'undefined') defineVrTour();

declare global {
  interface HTMLElementTagNameMap {
    'vr-tour': VrTourElement;
  }
}
