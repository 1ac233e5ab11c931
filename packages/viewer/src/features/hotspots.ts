import { nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import type { ScenesInterface } from './scenes.js';
import { uiModule, type UiModule } from '../lazy-ui.js';

type Popover = import('../ui/markers.js').Popover;
type MarkerElement = import('../ui/markers.js').MarkerElement;

export interface HotspotsInterface {
  /** Closes the open info or media popover, if any (the focus goes back to its hotspot). */
  closePopover(): void;
}

/** The protected side, used by the controls: closes the popover without moving the focus to its hotspot. */
export declare class HotspotsElementBase {
  protected dismissPopover(): void;
}

/**
 * Hotspots: real buttons (links for link hotspots) in the shadow DOM, placed
 * by projection after every drawn frame, in tab order, with accessible names,
 * labels on hover and focus, and the card they open, kept next to its hotspot.
 * The markers and the card are drawn by the UI chunk (`ui/markers.ts`), which
 * arrives while the first panorama downloads; this mixin keeps their state.
 * What each type shows and does is its renderer's (`hotspot-types/`): the
 * built-in ones and those a page registered.
 */
export const HotspotsMixin = <T extends Constructor<LoadingElementBase & ScenesInterface>>(Base: T) => {
  class HotspotsElement extends Base {
    @state() protected openPop: Popover | null = null;
    /** The marker that opened the card: the focus goes back to it when the card closes. */
    protected opener: HTMLElement | null = null;

    closePopover(): void {
      if (!this.openPop) return;
      this.openPop = null;
      this.opener?.focus();
    }

    protected dismissPopover(): void {
      // Its close button may have the focus: keep it in the tour.
      if (this.openPop && this.renderRoot.querySelector('.pop')?.contains((this.renderRoot as ShadowRoot).activeElement)) this.focus();
      this.openPop = null;
    }

    protected override willUpdate(changed: PropertyValues): void {
      super.willUpdate(changed);
      if (!changed.has('currentScene')) return;
      this.openPop = null;
      // The focused marker now stands for another hotspot, or for none: the tour itself takes the focus.
      if ((this.renderRoot as ShadowRoot).activeElement?.closest('.spots')) this.focus();
    }

    /** The markers' code (UI chunk) sees this element through `MarkerElement`, protected members included. */
    private get markerElement(): MarkerElement {
      return this as unknown as MarkerElement;
    }

    protected override renderHotspots(): TemplateResult | typeof nothing {
      return uiModule()?.markers(this.markerElement) ?? nothing;
    }

    protected async openPopover(popover: Popover): Promise<void> {
      this.openPop = popover;
      await this.updateComplete;
      (uiModule() as UiModule).placeMarkers(this.markerElement);
      this.renderRoot.querySelector<HTMLElement>('.pop .x')?.focus({ preventScroll: true });
    }

    override drawn(now: number): void {
      super.drawn(now);
      uiModule()?.placeMarkers(this.markerElement);
    }
  }
  return HotspotsElement as unknown as Constructor<HotspotsInterface> & Constructor<HotspotsElementBase> & T;
};
