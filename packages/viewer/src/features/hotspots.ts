import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Hotspot, Scene } from '@vr-tour/protocol';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import type { ScenesInterface } from './scenes.js';
import { HotspotClickEvent } from '../events.js';
import { hotspotRenderer, hotspotTypeName } from '../hotspot-types/registry.js';
import type { HotspotContent, HotspotHost, HotspotRenderer } from '../hotspot-types/types.js';
import { project } from '../math.js';

interface Popover {
  hotspot: Hotspot;
  content: HotspotContent;
}

export interface HotspotsInterface {
  /** Closes the open info or media popover, if any. */
  closePopover(): void;
}

/**
 * Hotspots: real buttons (links for link hotspots) in the shadow DOM, placed
 * by projection after every drawn frame, in tab order, with accessible names,
 * and the popover they open. What each type shows and does is its renderer's
 * (`hotspot-types/`): the built-in ones and those a page registered.
 */
export const HotspotsMixin = <T extends Constructor<LoadingElementBase & ScenesInterface>>(Base: T) => {
  class HotspotsElement extends Base {
    @state() private openPop: Popover | null = null;
    private opener: HTMLElement | null = null;

    closePopover(): void {
      if (!this.openPop) return;
      this.openPop = null;
      this.opener?.focus();
    }

    protected override willUpdate(changed: PropertyValues): void {
      super.willUpdate(changed);
      if (changed.has('currentScene')) this.openPop = null;
    }

    protected override renderHotspots(): TemplateResult {
      const scene = this.currentScene;
      const hotspots = scene?.hotspots ?? [];
      return html`<div class="spots ${this.shown ? '' : 'off'}">${hotspots.map((hotspot) => this.renderHotspot(hotspot, scene!))}</div>
        ${this.renderPopover()}`;
    }

    private renderHotspot(hotspot: Hotspot, scene: Scene): TemplateResult | typeof nothing {
      const name = hotspotTypeName(hotspot);
      const renderer = hotspotRenderer(name);
      const host = this.hostFor(hotspot, scene);
      const part = name === hotspot.type ? `hotspot hotspot-${name}` : `hotspot hotspot-${hotspot.type} hotspot-${name}`;
      const label = renderer.label?.(hotspot) ?? hotspot.title;
      const href = renderer.href?.(hotspot);
      const focus = () => this.reveal(hotspot);
      const activate = (event: Event) => this.activate(hotspot, renderer, host, event);
      if (href && /^https?:\/\//i.test(href)) {
        // branding="off": nothing may lead out of the tour.
        if (this.branding === 'off') return nothing;
        return html`<a class="spot" part=${part} data-id=${hotspot.id} href=${href} target="_blank" rel="noopener noreferrer"
          aria-label=${label} title=${label} @focus=${focus} @click=${activate}
          @keydown=${(event: KeyboardEvent) => event.key === ' ' && (event.preventDefault(), (event.target as HTMLElement).click())}
          >${renderer.icon(hotspot, host)}</a>`;
      }
      return html`<button type="button" class="spot ${renderer.shape === 'pill' ? 'pill' : ''}" part=${part} data-id=${hotspot.id}
        aria-label=${label} title=${label} @focus=${focus} @click=${activate}
        aria-haspopup=${renderer.opensPopover ? 'dialog' : nothing}>${renderer.icon(hotspot, host)}</button>`;
    }

    /** What a hotspot's renderer may use of this element. */
    private hostFor(hotspot: Hotspot, scene: Scene): HotspotHost {
      const element = this;
      return {
        element,
        tour: this.tour!,
        scene,
        get view() {
          return element.getView();
        },
        goTo: (sceneId, view) => this.goTo(sceneId, view),
        openPopover: (content) => {
          if (this.currentScene === scene) void this.openPopover({ hotspot, content });
        },
        resolve: (url) => this.resolve(url),
        requestUpdate: () => this.requestUpdate(),
      };
    }

    private renderPopover(): TemplateResult | typeof nothing {
      const popover = this.openPop;
      if (!popover) return nothing;
      const { hotspot, content } = popover;
      return html`<div class="pop" part="popover" role="dialog" aria-label=${hotspot.title}
        @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (event.stopPropagation(), this.closePopover())}>
        <button type="button" class="x" aria-label=${this.strings.close} @click=${() => this.closePopover()}>×</button>
        <strong>${hotspot.title}</strong>
        <div>${content}</div>
      </div>`;
    }

    /** Keyboard focus on a hotspot out of sight turns the camera towards it. */
    private reveal(hotspot: Hotspot): void {
      const point = project(this.view, hotspot.yaw, hotspot.pitch, this.cssWidth, this.cssHeight);
      if (!point || point[0] < 0 || point[1] < 0 || point[0] > this.cssWidth || point[1] > this.cssHeight) {
        this.setView({ yaw: hotspot.yaw, pitch: hotspot.pitch });
      }
    }

    private activate(hotspot: Hotspot, renderer: HotspotRenderer, host: HotspotHost, event: Event): void {
      const scene = this.currentScene;
      if (!scene) return;
      this.interacted();
      this.opener = event.currentTarget as HTMLElement;
      this.track({ type: 'hotspot_click', sceneId: scene.id, hotspotId: hotspot.id });
      if (!this.dispatchEvent(new HotspotClickEvent({ hotspot, sceneId: scene.id }))) {
        event.preventDefault();
        return;
      }
      void renderer.activate?.(hotspot, host);
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
