import { css, html, nothing, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { FloorPlan, Scene, TourDocument } from '@vr-tour/protocol';
import { wrapYaw } from '../math.js';
import { adoptOnce } from './adopt.js';
import type { PanelsElement, PanelsHost } from './host.js';
import type { PanelStrings } from './strings.js';

/**
 * The floor plan and the compass (a chunk of their own, for tours that have
 * them). Floor plan images are drawn with north up (the document gives plans
 * no north of their own); a scene's `northOffset` is the yaw that faces north.
 */

interface MinimapState {
  /** Null until the visitor chooses: open by default on large elements. */
  open: boolean | null;
}

const states = new WeakMap<HTMLElement, MinimapState>();

/** Compass bearing of the view (0 = north, clockwise). */
export const bearing = (scene: Scene, yaw: number): number => wrapYaw(yaw - scene.northOffset);

const POINTS = ['N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'];
const compassPoint = (degrees: number) => POINTS[Math.round((((degrees % 360) + 360) % 360) / 45) % 8]!;

/** The plan the scene is on, else the first plan any scene is on. */
function planOf(tour: TourDocument, scene: Scene): FloorPlan | undefined {
  const id = scene.floorPlan?.floorPlanId ?? tour.scenes.find((candidate) => candidate.floorPlan)?.floorPlan?.floorPlanId;
  return tour.floorPlans.find((plan) => plan.id === id);
}

/** The view cone: a wedge as wide as the horizontal field of view, pointing up (north) before it is turned. */
function conePath(fov: number): string {
  const half = (Math.min(fov, 170) * Math.PI) / 360;
  const [x, y] = [40 * Math.sin(half), -40 * Math.cos(half)];
  return `M0 0L${x.toFixed(2)} ${y.toFixed(2)}A40 40 0 0 0 ${(-x).toFixed(2)} ${y.toFixed(2)}Z`;
}

function renderPlan(host: PanelsHost, s: PanelStrings, plan: FloorPlan): TemplateResult {
  const state = states.get(host.element) ?? { open: null };
  states.set(host.element, state);
  const open = state.open ?? (host.width >= 700 && host.height >= 420);
  const toggle = () => ((state.open = !open), host.element.requestUpdate());
  const placed = host.tour.scenes.filter((scene) => scene.floorPlan?.floorPlanId === plan.id);
  const here = host.scene.floorPlan?.floorPlanId === plan.id ? host.scene.floorPlan : null;
  return html`<div class="map panel" part="floor-plan" role="group" aria-label=${`${s.floorPlan}: ${plan.title}`}>
    <button type="button" class="chip" aria-expanded=${open} @click=${toggle}>
      <svg viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M3 6l6-3 6 3 6-3v15l-6 3-6-3-6 3z M9 3v15 M15 6v15" /></svg>
      <span class="label">${s.floorPlan}</span>
    </button>
    ${open
      ? html`<div class="plan" style=${styleMap({ 'aspect-ratio': `${plan.width} / ${plan.height}` })}>
          <img src=${host.element.resolve(plan.imageUrl)} alt=${plan.title} />
          ${here
            ? html`<svg class="cone" viewBox="-50 -50 100 100" aria-hidden="true"
                style=${styleMap({ left: `${here.x * 100}%`, top: `${here.y * 100}%` })}><path d=${conePath(host.view.fov)} /></svg>`
            : nothing}
          ${placed.map((scene) => {
            const at = scene.floorPlan!;
            const current = scene.id === host.scene.id;
            return html`<button type="button" class="dot" aria-current=${current ? 'location' : 'false'}
              aria-label=${scene.title} title=${scene.title}
              style=${styleMap({ left: `${at.x * 100}%`, top: `${at.y * 100}%` })}
              @click=${() => void host.element.goTo(scene.id).catch(() => {})}></button>`;
          })}
        </div>`
      : nothing}
  </div>`;
}

function renderCompass(host: PanelsHost, s: PanelStrings): TemplateResult {
  const facing = bearing(host.scene, host.view.yaw);
  return html`<div class="compass panel" part="compass" role="img" aria-label=${s.compass.replace('{0}', compassPoint(facing))}>
    <svg viewBox="-50 -50 100 100" aria-hidden="true">
      <circle r="46" />
      <g class="needle" style=${styleMap({ transform: `rotate(${-facing}deg)` })}>
        <path class="north" d="M0 -38L9 0H-9Z" /><path class="south" d="M0 38L9 0H-9Z" /><text y="-24">N</text>
      </g>
    </svg>
  </div>`;
}

/** The floor plan (with the scenes on it, the current one marked, and the view cone), and the compass when asked for. */
export function renderMinimap(host: PanelsHost, s: PanelStrings): TemplateResult {
  adoptOnce(host.root, styles);
  const plan = planOf(host.tour, host.scene);
  return html`<div class="corner">
    ${plan ? renderPlan(host, s, plan) : nothing} ${host.tour.settings.showCompass ? renderCompass(host, s) : nothing}
  </div>`;
}

/** After each frame: the cone and the needle follow the view without a new render. */
export function drawn(element: PanelsElement): void {
  const scene = element.currentScene;
  if (!scene) return;
  const view = element.getView();
  const facing = bearing(scene, view.yaw);
  const cone = element.renderRoot.querySelector<SVGSVGElement>('.cone');
  if (cone) {
    cone.style.transform = `translate(-50%, -50%) rotate(${facing.toFixed(1)}deg)`;
    cone.firstElementChild!.setAttribute('d', conePath(view.fov));
  }
  const compass = element.renderRoot.querySelector<HTMLElement>('.compass');
  if (compass) {
    (compass.querySelector('.needle') as SVGGElement).style.transform = `rotate(${(-facing).toFixed(1)}deg)`;
    // Its name says the compass point faced: rendered again only when that changes.
    if (!compass.getAttribute('aria-label')?.endsWith(compassPoint(facing))) element.requestUpdate();
  }
}

const styles = css`
  .corner { position: absolute; top: 8px; right: 8px; display: flex; flex-direction: column; align-items: flex-end; gap: 6px; max-width: 45%; }
  .map { display: flex; flex-direction: column; align-items: flex-end; gap: 6px; }
  .plan { position: relative; width: min(240px, 100%); border-radius: var(--vr-tour-radius, 8px); overflow: hidden; background: #fff; box-shadow: 0 2px 10px #0008; }
  .plan img { display: block; width: 100%; height: 100%; object-fit: contain; }
  .cone { position: absolute; width: 70%; height: auto; aspect-ratio: 1; transform: translate(-50%, -50%); pointer-events: none; }
  .cone path { fill: var(--vr-tour-accent, #3b82f6); fill-opacity: 0.35; stroke: var(--vr-tour-accent, #3b82f6); stroke-width: 1.5; }
  .dot {
    position: absolute;
    width: 28px;
    height: 28px;
    margin: -14px 0 0 -14px;
    padding: 0;
    border: 3px solid #fff;
    border-radius: 50%;
    background: #555;
    box-shadow: 0 1px 4px #000a;
    cursor: pointer;
  }
  .dot[aria-current='location'] { background: var(--vr-tour-accent, #3b82f6); }
  .dot:focus-visible { outline: 3px solid #111; outline-offset: 2px; }
  .compass svg { display: block; width: 56px; height: 56px; }
  @container (max-width: 480px) or (max-height: 320px) {
    .compass svg { width: 40px; height: 40px; }
  }
  .compass circle { fill: #000a; stroke: #fff; stroke-width: 3; }
  .compass .north { fill: #ef4444; }
  .compass .south { fill: #fff; }
  .compass text { fill: #fff; font: bold 16px system-ui, sans-serif; text-anchor: middle; }
`;
