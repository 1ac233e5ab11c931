import { html, nothing, type TemplateResult } from 'lit';
import type { PanelsElement, PanelsHost } from './host.js';
import type { PanelStrings } from './strings.js';
import type { VrElement } from '../xr/vr-session.js';

type VrModule = typeof import('../xr/vr-session.js');

/** Per element: null while the browser is asked whether it offers immersive VR. */
const supported = new WeakMap<PanelsElement, boolean | null>();
let vrModule: Promise<VrModule> | null = null;

function ask(element: PanelsElement): void {
  supported.set(element, null);
  const xr = navigator.xr;
  if (!xr) return void supported.set(element, false);
  xr.isSessionSupported('immersive-vr').then(
    (yes) => {
      supported.set(element, yes);
      // Loaded now, so that the click can ask for the session at once, within its user gesture.
      if (yes) vrModule ??= import('../xr/vr-session.js');
      element.requestUpdate();
    },
    () => supported.set(element, false),
  );
}

/**
 * "View in VR", only where the browser offers an `immersive-vr` session (a
 * headset's browser); the session itself is a chunk of its own (`xr/`).
 */
export function xrButton(host: PanelsHost, s: PanelStrings): TemplateResult | typeof nothing {
  const element = host.element;
  if (!supported.has(element)) ask(element);
  if (!supported.get(element)) return nothing;
  const enter = () => {
    // Asked first, in the click itself: browsers grant a session only within a user gesture.
    const session = navigator.xr!.requestSession('immersive-vr', { optionalFeatures: ['local'] });
    session.catch(() => {});
    void vrModule!.then((module) => module.present(element as VrElement, session)).catch(() => {});
  };
  return html`<button type="button" class="chip" @click=${enter}>
    <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
      <path d="M3 8h18v9h-6l-3-3-3 3H3z" /><circle cx="8" cy="12" r="1.5" /><circle cx="16" cy="12" r="1.5" />
    </svg>
    <span class="label">${s.enterVr}</span>
  </button>`;
}
