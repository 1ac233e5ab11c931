import { html, nothing, type TemplateResult } from 'lit';
import type { Hotspot, NewBeaconEvent, Scene, TourDocument } from '@vr-tour/protocol';
import { HotspotClickEvent } from '../events.js';
import { BUILT_IN_RENDERERS } from '../hotspot-types/built-in.js';
import { hotspotTypeName, pageRenderer } from '../hotspot-types/registry.js';
import type { HotspotContent, HotspotHost, HotspotRenderer } from '../hotspot-types/types.js';
import type { TourStrings } from '../i18n.js';
import { project, type View } from '../math.js';
import { card, placeCard } from './card.js';
import { tip } from './labels.js';

/** The card open in an element: the hotspot it belongs to and what it shows. */
export interface Popover {
  hotspot: Hotspot;
  content: HotspotContent;
}

/**
 * The element as its hotspot markers use it (features/hotspots.ts and the
 * base): the members this chunk reads, protected ones included.
 */
export interface MarkerElement extends HTMLElement {
  readonly tour: TourDocument | null;
  readonly currentScene: Scene | null;
  readonly shown: boolean;
  readonly view: View;
  readonly cssWidth: number;
  readonly cssHeight: number;
  readonly strings: TourStrings;
  readonly branding: string | null;
  readonly renderRoot: ShadowRoot;
  readonly openPop: Popover | null;
  opener: HTMLElement | null;
  goTo(sceneId: string, view?: Partial<View>): Promise<void>;
  getView(): View;
  resolve(url: string): string;
  track(event: NewBeaconEvent): void;
  interacted(): void;
  setView(view: Partial<View>): void;
  requestUpdate(): void;
  openPopover(popover: Popover): void;
  closePopover(): void;
  dismissPopover(): void;
}

const rendererOf = (name: string): HotspotRenderer =>
  pageRenderer(name) ?? (BUILT_IN_RENDERERS as Record<string, HotspotRenderer>)[name]!;

/** The scene's markers, and the open card. */
export function markers(element: MarkerElement): TemplateResult {
  const scene = element.currentScene;
  const hotspots = scene?.hotspots ?? [];
  const pop = element.openPop;
  return html`<div class="spots ${element.shown ? '' : 'off'}">${hotspots.map((hotspot) => marker(element, hotspot, scene!))}</div>
    ${pop ? card(pop.hotspot.title, pop.content, element.strings.close, () => element.closePopover()) : nothing}`;
}

function marker(element: MarkerElement, hotspot: Hotspot, scene: Scene): TemplateResult | typeof nothing {
  const name = hotspotTypeName(hotspot);
  const renderer = rendererOf(name);
  const host = hostFor(element, hotspot, scene);
  const part = name === hotspot.type ? `hotspot hotspot-${name}` : `hotspot hotspot-${hotspot.type} hotspot-${name}`;
  const label = renderer.label?.(hotspot) ?? hotspot.title;
  const href = renderer.href?.(hotspot);
  const focus = () => reveal(element, hotspot);
  const activate = (event: Event) => activateMarker(element, hotspot, renderer, host, event);
  // A pill shows its text already; round markers get their name drawn as a label.
  const named = renderer.shape === 'pill' ? nothing : tip(label);
  if (href && /^https?:\/\//i.test(href)) {
    // branding="off": nothing may lead out of the tour.
    if (element.branding === 'off') return nothing;
    return html`<a class="spot" part=${part} data-id=${hotspot.id} href=${href} target="_blank" rel="noopener noreferrer"
      aria-label=${label} @focus=${focus} @click=${activate}
      @keydown=${(event: KeyboardEvent) => event.key === ' ' && (event.preventDefault(), (event.target as HTMLElement).click())}
      >${renderer.icon(hotspot, host)}${named}</a>`;
  }
  return html`<button type="button" class="spot ${renderer.shape === 'pill' ? 'pill' : ''}" part=${part} data-id=${hotspot.id}
    aria-label=${label} @focus=${focus} @click=${activate}
    aria-haspopup=${renderer.opensPopover ? 'dialog' : nothing}>${renderer.icon(hotspot, host)}${named}</button>`;
}

/** What a hotspot's renderer may use of the element. */
function hostFor(element: MarkerElement, hotspot: Hotspot, scene: Scene): HotspotHost {
  return {
    element,
    tour: element.tour!,
    scene,
    get view() {
      return element.getView();
    },
    goTo: (sceneId, view) => element.goTo(sceneId, view),
    openPopover: (content) => {
      if (element.currentScene === scene) element.openPopover({ hotspot, content });
    },
    resolve: (url) => element.resolve(url),
    requestUpdate: () => element.requestUpdate(),
  };
}

/** Keyboard focus on a hotspot out of sight turns the camera towards it. */
function reveal(element: MarkerElement, hotspot: Hotspot): void {
  const point = project(element.view, hotspot.yaw, hotspot.pitch, element.cssWidth, element.cssHeight);
  if (!point || point[0] < 0 || point[1] < 0 || point[0] > element.cssWidth || point[1] > element.cssHeight) {
    element.setView({ yaw: hotspot.yaw, pitch: hotspot.pitch });
  }
}

function activateMarker(element: MarkerElement, hotspot: Hotspot, renderer: HotspotRenderer, host: HotspotHost, event: Event): void {
  const scene = element.currentScene;
  if (!scene) return;
  element.interacted();
  element.opener = event.currentTarget as HTMLElement;
  element.track({ type: 'hotspot_click', sceneId: scene.id, hotspotId: hotspot.id });
  if (!element.dispatchEvent(new HotspotClickEvent({ hotspot, sceneId: scene.id }))) {
    event.preventDefault();
    return;
  }
  void renderer.activate?.(hotspot, host);
}

/**
 * After every frame: each marker at its hotspot's projection (hidden behind
 * the camera), its arrow pointing the way from the visitor's feet (bottom
 * centre) to it, its label below it near the top edge; the card beside its
 * hotspot, closed once the hotspot left the view.
 */
export function placeMarkers(element: MarkerElement): void {
  const hotspots = element.currentScene?.hotspots ?? [];
  const { view, cssWidth: width, cssHeight: height } = element;
  for (const node of element.renderRoot.querySelectorAll<HTMLElement>('.spot')) {
    const hotspot = hotspots.find((candidate) => candidate.id === node.dataset.id);
    const point = hotspot && project(view, hotspot.yaw, hotspot.pitch, width, height);
    node.classList.toggle('behind', !point);
    if (!point) continue;
    const [x, y] = point;
    node.style.transform = `translate(${x.toFixed(1)}px,${y.toFixed(1)}px) translate(-50%,-50%)`;
    node.style.setProperty('--way', `${Math.atan2(x - width / 2, height - y).toFixed(2)}rad`);
    node.classList.toggle('low', y < 60);
  }
  const pop = element.renderRoot.querySelector<HTMLElement>('.pop');
  const hotspot = element.openPop?.hotspot;
  const anchor = hotspot && element.renderRoot.querySelector<HTMLElement>(`.spot[data-id="${hotspot.id}"]`);
  if (!pop || !hotspot || !anchor) return;
  const point = project(view, hotspot.yaw, hotspot.pitch, width, height);
  if (!point || point[0] < 0 || point[1] < 0 || point[0] > width || point[1] > height) return element.dismissPopover();
  placeCard(pop, point[0], point[1], Math.max(anchor.offsetWidth, anchor.offsetHeight), width, height);
}
