import { css, html, type TemplateResult } from 'lit';
import { styleMap } from 'lit/directives/style-map.js';
import type { Scene } from '@vr-tour/protocol';
import type { PanelsHost } from './host.js';
import type { PanelStrings } from './strings.js';

const THUMB = { width: 112, height: 64 } as const;
/** Degrees of the panorama a thumbnail shows across. */
const THUMB_SPAN = 110;

/**
 * A scene's thumbnail, cut from the document's small equirectangular preview
 * (else its inline one): the middle band around the scene's initial yaw,
 * repeated sideways so a view across the seam stays whole.
 */
function thumbnail(host: PanelsHost, scene: Scene): Record<string, string> {
  const source = scene.panorama.previewUrl ?? scene.panorama.inlinePreview;
  if (!source) return {};
  const width = (THUMB.width * 360) / THUMB_SPAN;
  const x = THUMB.width / 2 - ((scene.initialView.yaw + 180) / 360) * width;
  const y = THUMB.height / 2 - ((90 - scene.initialView.pitch) / 180) * (width / 2);
  return {
    'background-image': `url("${host.element.resolve(source)}")`,
    'background-size': `${width}px ${width / 2}px`,
    'background-position': `${x.toFixed(1)}px ${y.toFixed(1)}px`,
  };
}

/**
 * The scene strip: a list of buttons, one per scene (its thumbnail and
 * title), the current one marked (`aria-current`) and scrolled into view;
 * activating one goes there.
 */
export function renderStrip(host: PanelsHost, s: PanelStrings): TemplateResult {
  return html`<ul id="strip" class="strip panel" part="scene-strip" aria-label=${s.scenes}>
    ${host.tour.scenes.map((scene) => {
      const current = scene.id === host.scene.id;
      return html`<li>
        <button type="button" aria-current=${current ? 'true' : 'false'} @click=${() => void host.element.goTo(scene.id).catch(() => {})}>
          <span class="thumb" style=${styleMap(thumbnail(host, scene))}></span>
          <span class="name">${scene.title}</span>
        </button>
      </li>`;
    })}
  </ul>`;
}

export const stripStyles = css`
  .strip {
    position: absolute;
    left: 8px;
    bottom: 52px;
    box-sizing: border-box;
    max-width: calc(100% - 16px);
    display: flex;
    gap: 8px;
    margin: 0;
    padding: 6px;
    list-style: none;
    overflow-x: auto;
    border-radius: var(--vr-tour-radius, 8px);
    background: #000a;
    scrollbar-width: thin;
  }
  .strip li { flex: none; }
  .strip button {
    display: flex;
    flex-direction: column;
    gap: 4px;
    width: ${THUMB.width + 8}px;
    padding: 4px;
    border: 2px solid transparent;
    border-radius: var(--vr-tour-radius, 8px);
    background: none;
    color: #fff;
    font: inherit;
    font-size: 12px;
    text-align: left;
    cursor: pointer;
  }
  .strip .thumb {
    display: block;
    width: ${THUMB.width}px;
    height: ${THUMB.height}px;
    border-radius: 4px;
    background-color: #333;
    background-repeat: repeat-x;
  }
  .strip .name { overflow: hidden; white-space: nowrap; text-overflow: ellipsis; }
  .strip button[aria-current='true'] { border-color: var(--vr-tour-accent, #3b82f6); background: #fff2; }
  .strip button[aria-current='true'] .name { font-weight: 700; }
  .strip button:hover { background: #fff2; }
  .strip button:focus-visible { outline: 3px solid #fff; outline-offset: -1px; box-shadow: 0 0 0 5px #000; }
`;
