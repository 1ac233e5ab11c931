import { css } from 'lit';

/**
 * Theming: `--vr-tour-accent`, `--vr-tour-fg`, `--vr-tour-bg`, `--vr-tour-font`,
 * `--vr-tour-radius`, `--vr-tour-hotspot-size`, `--vr-tour-height`; parts:
 * stage, preview, canvas, hotspot, hotspot-<type>, popover, controls, control, error, loading.
 * The rest of the UI's styles come with its chunk (ui/styles.ts).
 *
 * - No default height: the page's height or aspect-ratio wins; without either, a 16:9 box.
 * - `overflow: clip`, not hidden: a focused hotspot outside the box must not scroll the stage.
 * - Focus rings are a white and a near-black band, visible on any picture, with a
 *   transparent outline for forced-colours mode.
 * - Touch: one finger scrolls the page until the tour is activated (a tap, full
 *   screen), two fingers turn it (`.stage.active` takes every gesture).
 * - Navigation arrows point the way to their door on screen (`--way`, set per frame).
 */
export const styles = css`
  :host {
    display: block;
    position: relative;
    height: var(--vr-tour-height);
    aspect-ratio: 16 / 9;
    overflow: clip;
    contain: content;
    background: var(--vr-tour-bg, #1b1b1f);
    color: var(--vr-tour-fg, #fff);
    font: 14px/1.4 var(--vr-tour-font, system-ui, sans-serif);
    user-select: none;
    -webkit-user-select: none;
  }
  :host(:focus-visible) { outline: none; }
  :host(:focus-visible) .stage::after {
    content: '';
    position: absolute;
    inset: 0;
    box-shadow: inset 0 0 0 3px #fff, inset 0 0 0 6px #111;
    outline: 2px solid transparent;
    pointer-events: none;
  }
  .stage, .preview, canvas { position: absolute; inset: 0; width: 100%; height: 100%; }
  .stage { cursor: grab; touch-action: pan-x pan-y; }
  .stage.active { touch-action: none; }
  .stage.drag { cursor: grabbing; }
  .preview { background-repeat: repeat-x; }
  canvas { opacity: 0; }
  canvas.on { opacity: 1; }
  .spots { position: absolute; inset: 0; pointer-events: none; }
  .spots.off { visibility: hidden; }
  .spot {
    position: absolute;
    left: 0;
    top: 0;
    box-sizing: border-box;
    min-width: var(--vr-tour-hotspot-size, 44px);
    height: var(--vr-tour-hotspot-size, 44px);
    border: 2px solid #fff;
    border-radius: 50%;
    background: var(--vr-tour-accent, #2563eb);
    color: #fff;
    font: inherit;
    font-weight: 700;
    padding: 0;
    cursor: pointer;
    pointer-events: auto;
    white-space: nowrap;
    box-shadow: 0 1px 4px #0008;
    display: grid;
    place-items: center;
    text-decoration: none;
  }
  .spot:focus-visible { outline: 2px solid transparent; box-shadow: 0 0 0 3px #fff, 0 0 0 6px #111; }
  .spot.behind { opacity: 0; pointer-events: none; }
  .spot.pill { border-radius: var(--vr-tour-radius, 8px); padding: 0 12px; }
  .way { width: 22px; height: 22px; transform: rotate(var(--way, 0deg)); }
  .msg {
    position: absolute;
    left: 50%;
    top: 50%;
    transform: translate(-50%, -50%);
    max-width: 80%;
    padding: 10px 14px;
    border-radius: var(--vr-tour-radius, 8px);
    background: #000c;
    text-align: center;
  }
  .msg progress { display: block; width: 160px; height: 4px; margin: 8px auto 0; accent-color: var(--vr-tour-accent, #2563eb); }
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
