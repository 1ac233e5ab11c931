import type { Hotspot } from '@vr-tour/protocol';
import type { View } from './math.js';

/** Why a tour could not be shown. */
export type TourErrorReason = 'network' | 'not-found' | 'bad-id' | 'webgl-unavailable' | 'context-lost' | 'image';

/** How a view was shared: the system share sheet, a copied link, a copied embed code, or a link that could not be handed on. */
export type ShareChannel = 'native' | 'copy' | 'embed' | 'other';

/**
 * Base of every `<vr-tour>` event: composed (crosses shadow roots). `load` and
 * `error` do not bubble, like the native ones of <img>: a page's global error
 * handler must not take a tour's error for an uncaught exception.
 */
class TourEvent<T> extends CustomEvent<T> {
  constructor(type: string, detail: T, cancelable = false, bubbles = true) {
    super(type, { detail, bubbles, composed: true, cancelable });
  }
}

/** `load`: the tour document arrived and the first scene was drawn sharp. */
export class TourLoadEvent extends TourEvent<{ tourId: string; sceneId: string; timeToFirstPanorama: number }> {
  constructor(detail: TourLoadEvent['detail']) {
    super('load', detail, false, false);
  }
}

/** `scene-change`: the viewer started showing another scene. */
export class SceneChangeEvent extends TourEvent<{ sceneId: string; previousSceneId: string | null; title: string }> {
  constructor(detail: SceneChangeEvent['detail']) {
    super('scene-change', detail);
  }
}

/** `hotspot-click`: a hotspot was activated (mouse, touch, Enter or Space). Cancel it to skip the built-in action. */
export class HotspotClickEvent extends TourEvent<{ hotspot: Hotspot; sceneId: string }> {
  constructor(detail: HotspotClickEvent['detail']) {
    super('hotspot-click', detail, true);
  }
}

/** `share`: `share()` ran; `channel` tells how the link left. */
export class ShareEvent extends TourEvent<{ url: string; channel: ShareChannel }> {
  constructor(detail: ShareEvent['detail']) {
    super('share', detail);
  }
}

/** `view-change`: yaw, pitch or fov changed (at most once per drawn frame). */
export class ViewChangeEvent extends TourEvent<View & { sceneId: string }> {
  constructor(detail: ViewChangeEvent['detail']) {
    super('view-change', detail);
  }
}

/** `error`: something prevented showing the tour; the element shows a message too. */
export class TourErrorEvent extends TourEvent<{ reason: TourErrorReason; message: string }> {
  constructor(detail: TourErrorEvent['detail']) {
    super('error', detail, false, false);
  }
}

/** Events `<vr-tour>` dispatches, for typed `addEventListener`. */
export interface VrTourEventMap extends Omit<HTMLElementEventMap, 'load' | 'error'> {
  load: TourLoadEvent;
  'scene-change': SceneChangeEvent;
  'hotspot-click': HotspotClickEvent;
  share: ShareEvent;
  'view-change': ViewChangeEvent;
  error: TourErrorEvent;
}
