import { html, type TemplateResult } from 'lit';
import type { HotspotContent } from '../hotspot-types/types.js';

/** Space kept between the card and its hotspot, and between the card and the element's edges (CSS px). */
const GAP = 8;

/** A hotspot's card: a dialog named by the hotspot's title, with a close button; Escape closes it too. */
export function card(title: string, content: HotspotContent, closeLabel: string, close: () => void): TemplateResult {
  return html`<div class="pop" part="popover" role="dialog" aria-label=${title}
    @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && (event.stopPropagation(), close())}>
    <button type="button" class="x" aria-label=${closeLabel} @click=${close}>×</button>
    <strong>${title}</strong>
    <div>${content}</div>
  </div>`;
}

/**
 * Puts the card next to its hotspot's marker (centred at `x`, `y`, `size` px
 * across) inside a `width` x `height` element: right of it, else left, else
 * below or above, whichever has room; when nothing fits, on the roomier side
 * with a scrolling body. It never covers its marker.
 */
export function placeCard(pop: HTMLElement, x: number, y: number, size: number, width: number, height: number): void {
  const style = pop.style;
  style.removeProperty('max-height');
  const w = pop.offsetWidth;
  let h = pop.offsetHeight;
  const reach = size / 2 + GAP;
  const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(max, value));
  let left: number;
  let top: number;
  if (x + reach + w <= width - GAP || x - reach - w >= GAP) {
    left = x + reach + w <= width - GAP ? x + reach : x - reach - w;
    top = clamp(y - h / 2, GAP, height - GAP - h);
  } else {
    const below = height - GAP - (y + reach);
    const above = y - reach - GAP;
    if (h > Math.max(below, above)) {
      h = Math.max(below, above);
      style.setProperty('max-height', `${h}px`);
    }
    left = clamp(x - w / 2, GAP, width - GAP - w);
    top = h <= below ? y + reach : y - reach - h;
  }
  style.setProperty('transform', `translate(${left.toFixed(1)}px,${top.toFixed(1)}px)`);
}
