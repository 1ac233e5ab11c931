import { html, nothing, svg, type SVGTemplateResult, type TemplateResult } from 'lit';
import type { TourStrings } from '../i18n.js';
import type { View } from '../math.js';
import { tip, touchHint } from './labels.js';

/** The element as the control bar uses it (features/controls.ts and the base), protected members included. */
export interface ControlsView extends HTMLElement {
  readonly strings: TourStrings;
  readonly controls: string | null;
  readonly branding: string | null;
  readonly view: View;
  readonly gyro: boolean;
  readonly hint: boolean;
  autorotateSpeed(): number;
  interacted(): void;
  setView(view: Partial<View>): void;
  toggleAutorotate(): void;
  toggleGyroscope(): Promise<boolean>;
  toggleFullscreen(): Promise<void>;
  openShareDialog(): Promise<void>;
}

const icon = (path: SVGTemplateResult) =>
  html`<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">${path}</svg>`;

const ICONS = {
  zoomIn: icon(svg`<path d="M12 5v14M5 12h14"/>`),
  zoomOut: icon(svg`<path d="M5 12h14"/>`),
  rotate: icon(svg`<path d="M20 12a8 8 0 1 1-2.3-5.7M20 4v5h-5"/>`),
  gyroscope: icon(svg`<path d="M9 3h6a1 1 0 0 1 1 1v16a1 1 0 0 1-1 1H9a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM4 8a6 6 0 0 0 0 8M20 8a6 6 0 0 1 0 8"/>`),
  share: icon(svg`<path d="M4 12v8h16v-8M12 3v13M7 8l5-5 5 5"/>`),
  enter: icon(svg`<path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5"/>`),
  exit: icon(svg`<path d="M9 4v5H4M20 9h-5V4M15 20v-5h5M4 15h5v5"/>`),
};

const button = (label: string, action: () => void, glyph: TemplateResult, pressed?: boolean) =>
  html`<button type="button" part="control" aria-label=${label} aria-pressed=${pressed ?? nothing} @click=${action}>${glyph}${tip(label)}</button>`;

/**
 * The control bar (zoom, autorotation, gyroscope on touch devices, share,
 * full screen; none with `controls="none"`) and the touch hint.
 */
export function controls(element: ControlsView): TemplateResult {
  const s = element.strings;
  const hint = element.hint ? touchHint(s.touchHint) : nothing;
  if (element.controls === 'none') return html`${hint}`;
  const zoom = (factor: number) => () => (element.interacted(), element.setView({ fov: element.view.fov * factor }));
  const touch = 'DeviceOrientationEvent' in globalThis && matchMedia('(pointer: coarse)').matches;
  const full = document.fullscreenElement === element;
  return html`<div class="bar" part="controls">
    ${button(s.zoomIn, zoom(1 / 1.25), ICONS.zoomIn)} ${button(s.zoomOut, zoom(1.25), ICONS.zoomOut)}
    ${button(s.autorotate, () => element.toggleAutorotate(), ICONS.rotate, !!element.autorotateSpeed())}
    ${touch ? button(s.gyro, () => void element.toggleGyroscope(), ICONS.gyroscope, element.gyro) : nothing}
    ${element.branding === 'off' ? nothing : button(s.share, () => void element.openShareDialog(), ICONS.share)}
    ${document.fullscreenEnabled ? button(full ? s.exitFullscreen : s.fullscreen, () => void element.toggleFullscreen(), full ? ICONS.exit : ICONS.enter) : nothing}
  </div>${hint}`;
}
