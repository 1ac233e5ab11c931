import { css, html, nothing, type TemplateResult } from 'lit';
import type { Branding, HotspotOf } from '@vr-tour/protocol';
import { adoptOnce } from './adopt.js';
import { hostOf, type PanelsElement, type PanelsHost } from './host.js';
import { renderStrip, stripStyles } from './strip.js';
import type { PanelStrings } from './strings.js';
import { xrButton } from './xr-button.js';

type MinimapModule = typeof import('./minimap.js');
type ShareDialogModule = typeof import('./share-dialog.js');

/**
 * The panels over the panorama, loaded once the first scene is drawn: the
 * scene title with the tour's logo, its brand colours, the dock (scene strip
 * toggle, sound, VR) and the scene strip; the floor plan and compass come in
 * a chunk of their own when the tour has them.
 */

interface ChromeState {
  /** Null until the visitor chooses: open by default on large elements. */
  stripOpen: boolean | null;
  muted: boolean;
  /** The visitor interacted with the tour: browsers let sound start now. */
  activated: boolean;
  brand: CSSStyleSheet | null;
  brandText: string;
  /** The scene's description is shown (under its title). */
  aboutOpen: boolean;
  shareOpen: boolean;
  /** What had the focus when the share dialog opened: it gets it back. */
  shareOpener: HTMLElement | null;
}

const states = new WeakMap<HTMLElement, ChromeState>();
let minimap: MinimapModule | null = null;
let minimapLoading: Promise<void> | null = null;
let shareDialog: Promise<ShareDialogModule> | null = null;
let shareDialogLoaded: ShareDialogModule | null = null;

/** Panels open by default only where they leave most of the panorama free. */
export const roomy = (host: PanelsHost) => host.width >= 700 && host.height >= 420;

function stateOf(host: PanelsHost): ChromeState {
  let state = states.get(host.element);
  if (!state) {
    const made: ChromeState = (state = { stripOpen: null, muted: false, activated: false, brand: null, brandText: '', aboutOpen: false, shareOpen: false, shareOpener: null });
    states.set(host.element, made);
    // Sound may start with the first interaction with the tour itself, as browsers require.
    const activate = () => {
      made.activated = true;
      void host.root.querySelector<HTMLAudioElement>('audio.ambient')?.play().catch(() => {});
    };
    host.element.addEventListener('pointerdown', activate, { once: true });
    host.element.addEventListener('keydown', activate, { once: true });
  }
  return state;
}

const COLOR = /^#[0-9a-f]{6}$/i;

/** The tour's colours as the element's theme properties, below any the page set (an adopted `:host` rule). */
function applyBrand(host: PanelsHost, state: ChromeState): void {
  const branding: Branding | null = host.branded ? host.tour.branding : null;
  const accent = branding?.accentColor;
  const primary = branding?.primaryColor;
  const text = [
    accent && COLOR.test(accent) ? `--vr-tour-accent:${accent};` : '',
    primary && COLOR.test(primary) ? `--vr-tour-primary:${primary};` : '',
  ].join('');
  if (text === state.brandText) return;
  state.brandText = text;
  state.brand ??= new CSSStyleSheet();
  state.brand.replaceSync(`:host{${text}}`);
  if (!host.root.adoptedStyleSheets.includes(state.brand)) host.root.adoptedStyleSheets = [...host.root.adoptedStyleSheets, state.brand];
}

/** The scene's sound when the tour asks for it (`autoplayAudio`): its first audio hotspot. */
function ambientOf(host: PanelsHost): HotspotOf<'audio'> | undefined {
  if (!host.tour.settings.autoplayAudio) return undefined;
  return host.scene.hotspots.find((hotspot): hotspot is HotspotOf<'audio'> => hotspot.type === 'audio');
}

function logo(host: PanelsHost, s: PanelStrings): TemplateResult | typeof nothing {
  const branding = host.branded ? host.tour.branding : null;
  if (!branding?.logoUrl) return nothing;
  const image = html`<img class="logo" src=${host.element.resolve(branding.logoUrl)} alt=${branding.linkUrl ? s.logo : ''} />`;
  return branding.linkUrl && /^https?:\/\//i.test(branding.linkUrl)
    ? html`<a class="logo-link" href=${branding.linkUrl} target="_blank" rel="noopener noreferrer">${image}</a>`
    : image;
}

function loadMinimap(host: PanelsHost): void {
  if (minimap || minimapLoading) return;
  minimapLoading = import('./minimap.js').then(
    (module) => {
      minimap = module;
      host.element.requestUpdate();
    },
    () => {
      minimapLoading = null;
    },
  );
}

/** The panels of an element showing a scene. */
export function renderChrome(element: PanelsElement): TemplateResult {
  const host = hostOf(element);
  const s = host.strings;
  const state = stateOf(host);
  applyBrand(host, state);
  const { tour, scene } = host;
  const stripOpen = tour.scenes.length > 1 && (state.stripOpen ?? roomy(host));
  const toggleStrip = () => ((state.stripOpen = !stripOpen), host.element.requestUpdate());
  const ambient = ambientOf(host);
  const toggleSound = () => ((state.muted = !state.muted), host.element.requestUpdate());
  if (tour.floorPlans.length || tour.settings.showCompass) loadMinimap(host);
  const credit = host.branded && tour.branding?.showPoweredBy;
  return html`<div class="top panel">
      ${logo(host, s)}
      <span class="titles">
        ${scene.description
          ? html`<button type="button" class="scene-title" part="scene-title" aria-expanded=${state.aboutOpen} aria-controls="about"
                @click=${() => ((state.aboutOpen = !state.aboutOpen), element.requestUpdate())}>
                ${scene.title}
                <svg viewBox="0 0 24 24" width="14" height="14" fill="none" stroke="currentColor" stroke-width="2.5" aria-hidden="true"><path d=${state.aboutOpen ? 'M6 15l6-6 6 6' : 'M6 9l6 6 6-6'} /></svg>
              </button>
              ${state.aboutOpen ? html`<p id="about" class="about" part="scene-description">${scene.description}</p>` : nothing}`
          : html`<span class="scene-title" part="scene-title">${scene.title}</span>`}
        ${credit ? html`<span class="credit">${s.poweredBy}</span>` : nothing}
      </span>
    </div>
    <div class="dock panel" part="dock">
      ${tour.scenes.length > 1
        ? html`<button type="button" class="chip" aria-expanded=${stripOpen} aria-controls="strip" @click=${toggleStrip}>
            <svg viewBox="0 0 24 24" width="16" height="16" fill="currentColor" aria-hidden="true"><path d="M3 5h8v6H3zM13 5h8v6h-8zM3 13h8v6H3zM13 13h8v6h-8z"/></svg>
            <span class="label">${s.scenes}</span>
          </button>`
        : nothing}
      ${ambient
        ? html`<button type="button" class="chip" aria-pressed=${!state.muted} @click=${toggleSound}>
              <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
                <path d="M4 9h4l5-4v14l-5-4H4z" />${state.muted ? html`<path d="M17 9l4 6M21 9l-4 6" />` : html`<path d="M17 8a5 5 0 0 1 0 8" />`}
              </svg>
              <span class="label">${s.audioOn}</span>
            </button>
            <audio class="ambient" src=${host.element.resolve(ambient.mediaUrl)} ?loop=${ambient.loop} .muted=${state.muted}></audio>`
        : nothing}
      ${xrButton(host, s)}
    </div>
    ${stripOpen ? renderStrip(host, s) : nothing} ${minimap ? minimap.renderMinimap(host, s) : nothing}
    ${state.shareOpen && host.branded && shareDialogLoaded ? shareDialogLoaded.renderShareDialog(host, () => closeShare(element)) : nothing}`;
}

/** Opens the share dialog (its own chunk) and puts the focus on its first action. */
export async function openShare(element: PanelsElement): Promise<void> {
  const host = hostOf(element);
  const state = stateOf(host);
  const active = host.root.activeElement;
  state.shareOpener = active instanceof HTMLElement ? active : null;
  shareDialogLoaded = await (shareDialog ??= import('./share-dialog.js'));
  shareDialogLoaded.adopt(host.root);
  state.shareOpen = true;
  host.element.requestUpdate();
  await host.element.updateComplete;
  host.root.querySelector<HTMLElement>('.share [autofocus]')?.focus();
}

export function closeShare(element: PanelsElement): void {
  const host = hostOf(element);
  const state = stateOf(host);
  if (!state.shareOpen) return;
  state.shareOpen = false;
  host.element.requestUpdate();
  (state.shareOpener ?? host.element).focus();
}

/** After each update: the scene's sound plays once the visitor has interacted with the tour. */
export function sync(element: PanelsElement): void {
  const host = hostOf(element);
  const audio = host.root.querySelector<HTMLAudioElement>('audio.ambient');
  if (audio && stateOf(host).activated && audio.paused && !audio.ended) void audio.play().catch(() => {});
}

/** After each frame: what follows the view (the floor plan's cone, the compass). */
export function drawn(element: PanelsElement): void {
  minimap?.drawn(element);
}

/** The element left the page or the viewport: its sound stops. */
export function silence(element: HTMLElement): void {
  element.shadowRoot?.querySelector<HTMLAudioElement>('audio.ambient')?.pause();
}

export const adopt = (root: ShadowRoot) => {
  adoptOnce(root, styles);
  adoptOnce(root, stripStyles);
};

const styles = css`
  .top {
    position: absolute;
    top: 8px;
    left: 8px;
    max-width: calc(55% - 16px);
    display: flex;
    align-items: flex-start;
    gap: 8px;
    pointer-events: none;
  }
  .top a, .top img { pointer-events: auto; }
  .logo { display: block; max-height: 36px; max-width: 120px; border-radius: 4px; }
  .scene-title {
    padding: 4px 10px;
    border-radius: var(--vr-tour-radius, 8px);
    background: var(--vr-tour-primary, #000a);
    font-weight: 600;
    white-space: nowrap;
    overflow: hidden;
    text-overflow: ellipsis;
    text-shadow: 0 1px 2px #0008;
  }
  .dock { position: absolute; left: 8px; bottom: 8px; display: flex; gap: 6px; }
  .chip {
    display: inline-flex;
    align-items: center;
    gap: 6px;
    min-height: 36px;
    padding: 0 10px;
    border: 0;
    border-radius: var(--vr-tour-radius, 8px);
    background: #000a;
    color: #fff;
    font: inherit;
    cursor: pointer;
  }
  .chip[aria-expanded='true'], .chip[aria-pressed='true'] { background: var(--vr-tour-primary, #000c); box-shadow: inset 0 -3px 0 var(--vr-tour-accent, #3b82f6); }
  .chip:focus-visible { outline: 3px solid var(--vr-tour-accent, #3b82f6); outline-offset: 2px; }
  .titles { display: flex; flex-direction: column; align-items: flex-start; min-width: 0; gap: 2px; }
  .credit { padding: 1px 8px; border-radius: 4px; background: #0009; font-size: 11px; }
  .titles { max-width: 100%; }
  button.scene-title { display: inline-flex; align-items: center; gap: 4px; border: 0; color: inherit; font: inherit; font-weight: 600; cursor: pointer; pointer-events: auto; text-align: left; }
  button.scene-title:focus-visible { outline: 3px solid var(--vr-tour-accent, #3b82f6); outline-offset: 2px; }
  .about {
    margin: 0;
    max-width: 360px;
    max-height: 40cqh;
    overflow: auto;
    padding: 6px 10px;
    border-radius: var(--vr-tour-radius, 8px);
    background: #000c;
    font-size: 13px;
    pointer-events: auto;
    user-select: text;
  }
  /* Narrow elements: the dock's buttons show their icons only (their names stay for screen readers). */
  .stage { container-type: size; }
  @container (max-width: 480px) {
    .chip .label { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
    .chip { padding: 0 9px; }
  }
  /* Small elements (a phone's embed): the panorama first; the credit goes, the logo shrinks. */
  @container (max-width: 480px) or (max-height: 320px) {
    .credit { display: none; }
    .logo { max-height: 28px; max-width: 80px; }
  }
`;
