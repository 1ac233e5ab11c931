import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { Hotspot, Scene } from '@vr-tour/protocol';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import type { ScenesInterface } from './scenes.js';
import { HotspotClickEvent } from '../events.js';
import { project, wrapYaw } from '../math.js';
import { sanitize } from '../sanitize.js';

const ICONS: Record<Hotspot['type'], string> = {
  navigation: '➜',
  info: 'i',
  audio: '♪',
  video: '▶',
  link: '↗',
  custom: '•',
};

/** The one media element playing on the page: starting another pauses it. */
let playing: HTMLMediaElement | null = null;
function playOnly(event: Event): void {
  const media = event.target as HTMLMediaElement;
  if (playing && playing !== media) playing.pause();
  playing = media;
}

interface Popover {
  hotspot: Hotspot;
  /** Sanitized HTML for info hotspots. */
  html: string | null;
}

export interface HotspotsInterface {
  /** Closes the open info or media popover, if any. */
  closePopover(): void;
}

/**
 * Hotspots: real buttons (links for link hotspots) in the shadow DOM, placed
 * by projection after every drawn frame, in tab order, with accessible names.
 * Navigation goes to the target scene; info opens sanitized rich text; audio
 * and video play in place, one at a time; custom renders the `hotspot-<id>`
 * slot or a sanitized template.
 */
export const HotspotsMixin = <T extends Constructor<LoadingElementBase & ScenesInterface>>(Base: T) => {
  class HotspotsElement extends Base {
    @state() private openPop: Popover | null = null;
    @state() private templates = new Map<string, string>();
    private opener: HTMLElement | null = null;

    closePopover(): void {
      if (!this.openPop) return;
      this.openPop = null;
      this.opener?.focus();
    }

    protected override willUpdate(changed: PropertyValues): void {
      super.willUpdate(changed);
      if (changed.has('currentScene')) {
        this.openPop = null;
        this.sanitizeTemplates(this.currentScene);
      }
    }

    private sanitizeTemplates(scene: Scene | null): void {
      for (const hotspot of scene?.hotspots ?? []) {
        if (hotspot.type !== 'custom' || !hotspot.template || this.templates.has(hotspot.id)) continue;
        void sanitize(hotspot.template).then((clean) => {
          this.templates = new Map(this.templates).set(hotspot.id, clean);
        });
      }
    }

    protected override renderHotspots(): TemplateResult {
      const hotspots = this.currentScene?.hotspots ?? [];
      return html`<div class="spots ${this.shown ? '' : 'off'}">${hotspots.map((hotspot) => this.renderHotspot(hotspot))}</div>
        ${this.renderPopover()}`;
    }

    private renderHotspot(hotspot: Hotspot): TemplateResult {
      const part = `hotspot hotspot-${hotspot.type}`;
      const focus = () => this.reveal(hotspot);
      if (hotspot.type === 'link' && /^https?:\/\//i.test(hotspot.url)) {
        return html`<a class="spot" part=${part} data-id=${hotspot.id} href=${hotspot.url} target="_blank" rel="noopener noreferrer"
          aria-label=${hotspot.title} title=${hotspot.title} @focus=${focus} @click=${(event: Event) => this.activate(hotspot, event)}
          @keydown=${(event: KeyboardEvent) => event.key === ' ' && (event.preventDefault(), (event.target as HTMLElement).click())}
          >${ICONS.link}</a>`;
      }
      const custom = hotspot.type === 'custom';
      const template = custom ? this.templates.get(hotspot.id) : undefined;
      return html`<button type="button" class="spot ${custom ? 'custom' : ''}" part=${part} data-id=${hotspot.id}
        aria-label=${hotspot.title} title=${hotspot.title} @focus=${focus} @click=${(event: Event) => this.activate(hotspot, event)}
        aria-haspopup=${hotspot.type === 'info' ? 'dialog' : nothing}>${custom
          ? html`<slot name="hotspot-${hotspot.id}">${template !== undefined ? unsafeHTML(template) : hotspot.title}</slot>`
          : ICONS[hotspot.type]}</button>`;
    }

    private renderPopover(): TemplateResult | typeof nothing {
      const popover = this.openPop;
      if (!popover) return nothing;
      const { hotspot } = popover;
      let body: unknown = nothing;
      if (hotspot.type === 'info') body = unsafeHTML(popover.html ?? '');
      else if (hotspot.type === 'audio') {
        body = html`<audio controls autoplay src=${this.resolve(hotspot.mediaUrl)} ?loop=${hotspot.loop} @play=${playOnly}></audio>`;
      } else if (hotspot.type === 'video') {
        body = html`<video controls autoplay playsinline src=${this.resolve(hotspot.mediaUrl)}
          poster=${hotspot.posterUrl ? this.resolve(hotspot.posterUrl) : nothing} @play=${playOnly}></video>`;
      }
      return html`<div class="pop" part="popover" role="dialog" aria-label=${hotspot.title}
        @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (event.stopPropagation(), this.closePopover())}>
        <button type="button" class="x" aria-label=${this.strings.close} @click=${() => this.closePopover()}>×</button>
        <strong>${hotspot.title}</strong>
        <div>${body}</div>
      </div>`;
    }

    /** Keyboard focus on a hotspot out of sight turns the camera towards it. */
    private reveal(hotspot: Hotspot): void {
      const point = project(this.view, hotspot.yaw, hotspot.pitch, this.cssWidth, this.cssHeight);
      if (!point || point[0] < 0 || point[1] < 0 || point[0] > this.cssWidth || point[1] > this.cssHeight) {
        this.setView({ yaw: hotspot.yaw, pitch: hotspot.pitch });
      }
    }

    private async activate(hotspot: Hotspot, event: Event): Promise<void> {
      const scene = this.currentScene;
      if (!scene) return;
      this.interacted();
      this.opener = event.currentTarget as HTMLElement;
      this.track({ type: 'hotspot_click', sceneId: scene.id, hotspotId: hotspot.id });
      if (!this.dispatchEvent(new HotspotClickEvent({ hotspot, sceneId: scene.id }))) {
        event.preventDefault();
        return;
      }
      switch (hotspot.type) {
        case 'navigation': {
          // Keep walking the same way: the bearing of the hotspot, carried over by the scenes' north offsets.
          const target = this.tour?.scenes.find((candidate) => candidate.id === hotspot.targetSceneId);
          const walk = wrapYaw(hotspot.yaw - scene.northOffset + (target?.northOffset ?? 0));
          void this.goTo(hotspot.targetSceneId, hotspot.targetView ?? { yaw: walk, pitch: 0, fov: this.view.fov });
          break;
        }
        case 'info': {
          const clean = await sanitize(hotspot.html);
          if (this.currentScene === scene) this.openPopover({ hotspot, html: clean });
          break;
        }
        case 'audio':
        case 'video':
          this.openPopover({ hotspot, html: null });
          break;
        // link: the anchor opens the new tab itself; custom: the event is the action.
      }
    }

    private async openPopover(popover: Popover): Promise<void> {
      this.openPop = popover;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.pop .x')?.focus();
    }

    override drawn(now: number): void {
      super.drawn(now);
      const hotspots = this.currentScene?.hotspots;
      if (!hotspots) return;
      for (const element of this.renderRoot.querySelectorAll<HTMLElement>('.spot')) {
        const hotspot = hotspots.find((candidate) => candidate.id === element.dataset.id);
        const point = hotspot && project(this.view, hotspot.yaw, hotspot.pitch, this.cssWidth, this.cssHeight);
        element.classList.toggle('behind', !point);
        if (point) element.style.transform = `translate(${point[0].toFixed(1)}px,${point[1].toFixed(1)}px)`;
      }
    }
  }
  return HotspotsElement as unknown as Constructor<HotspotsInterface> & T;
};
