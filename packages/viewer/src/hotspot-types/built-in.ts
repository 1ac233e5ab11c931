import { html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Hotspot, HotspotOf } from '@vr-tour/protocol';
import { wrapYaw } from '../math.js';
import { sanitize } from '../sanitize.js';
import type { HotspotRenderer } from './types.js';

/** The one media element playing on the page: starting another pauses it. */
let playing: HTMLMediaElement | null = null;
function playOnly(event: Event): void {
  const media = event.target as HTMLMediaElement;
  if (playing && playing !== media) playing.pause();
  playing = media;
}

/**
 * Goes to the target scene, looking at its target view or on in the direction
 * walked. Its arrow points the way to the hotspot on screen (`--way`, hotspots mixin).
 */
const navigation: HotspotRenderer<HotspotOf<'navigation'>> = {
  icon: () => html`<svg class="way" viewBox="0 0 24 24" aria-hidden="true"><path d="M12 5 19 22 12 18 5 22z" fill="currentColor"/></svg>`,
  activate(hotspot, host) {
    // Keep walking the same way: the bearing of the hotspot, carried over by the scenes' north offsets.
    const target = host.tour.scenes.find((candidate) => candidate.id === hotspot.targetSceneId);
    const walk = wrapYaw(hotspot.yaw - host.scene.northOffset + (target?.northOffset ?? 0));
    return host.goTo(hotspot.targetSceneId, hotspot.targetView ?? { yaw: walk, pitch: 0, fov: host.view.fov });
  },
};

/** Opens its rich text, sanitized, in the popover. */
const info: HotspotRenderer<HotspotOf<'info'>> = {
  icon: () => 'i',
  opensPopover: true,
  async activate(hotspot, host) {
    const clean = await sanitize(hotspot.html);
    host.openPopover(html`${unsafeHTML(clean)}`);
  },
};

/** Audio and video play in the popover, one at a time on the page. */
const audio: HotspotRenderer<HotspotOf<'audio'>> = {
  icon: () => '♪',
  activate(hotspot, host) {
    host.openPopover(html`<audio controls autoplay src=${host.resolve(hotspot.mediaUrl)} ?loop=${hotspot.loop} @play=${playOnly}></audio>`);
  },
};

const video: HotspotRenderer<HotspotOf<'video'>> = {
  icon: () => '▶',
  activate(hotspot, host) {
    host.openPopover(html`<video controls autoplay playsinline src=${host.resolve(hotspot.mediaUrl)}
      poster=${hotspot.posterUrl ? host.resolve(hotspot.posterUrl) : nothing} @play=${playOnly}></video>`);
  },
};

/** A link that opens its web page in a new tab by itself. */
const link: HotspotRenderer<HotspotOf<'link'>> = {
  icon: () => '↗',
  href: (hotspot) => hotspot.url,
};

/** Sanitized templates of custom hotspots, by hotspot; null while DOMPurify works on one. */
const templates = new WeakMap<HotspotOf<'custom'>, string | null>();

/**
 * Shows the page's `hotspot-<id>` slot, which holds the hotspot's sanitized
 * template, else its title. Activating it only dispatches `hotspot-click`.
 */
const custom: HotspotRenderer<HotspotOf<'custom'>> = {
  shape: 'pill',
  icon(hotspot, host) {
    let template = templates.get(hotspot);
    if (template === undefined && hotspot.template !== null) {
      templates.set(hotspot, (template = null));
      void sanitize(hotspot.template).then((clean) => {
        templates.set(hotspot, clean);
        host.requestUpdate();
      });
    }
    return html`<slot name="hotspot-${hotspot.id}">${typeof template === 'string' ? unsafeHTML(template) : hotspot.title}</slot>`;
  },
};

/** The six types of the tour document, under their own names (in the UI chunk: the registry knows only their names). */
export const BUILT_IN_RENDERERS: { [K in Hotspot['type']]: HotspotRenderer<HotspotOf<K>> } = { navigation, info, audio, video, link, custom };
