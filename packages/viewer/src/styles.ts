import { css } from 'lit';

/**
 * Theming: `--vr-tour-accent`, `--vr-tour-fg`, `--vr-tour-bg`, `--vr-tour-font`,
 * `--vr-tour-radius`, `--vr-tour-hotspot-size`, `--vr-tour-height`; parts:
 * stage, preview, canvas, hotspot, hotspot-<type>, popover, controls, control, error, loading.
 */
export const styles = css`
  :host {
    display: block;
    position: relative;
    height: var(--vr-tour-height, 400px);
    overflow: hidden;
    contain: content;
    background: var(--vr-tour-bg, #1b1b1f);
    color: var(--vr-tour-fg, #fff);
    font: 14px/1.4 var(--vr-tour-font, system-ui, sans-serif);
    touch-action: none;
    user-select: none;
    -webkit-user-select: none;
  }
  :host(:focus-visible) {
    outline: 3px solid var(--vr-tour-accent, #3b82f6);
    outline-offset: -3px;
  }
  .stage, .preview, canvas { position: absolute; inset: 0; width: 100%; height: 100%; }
  .stage { cursor: grab; }
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
    width: var(--vr-tour-hotspot-size, 36px);
    height: var(--vr-tour-hotspot-size, 36px);
    margin: calc(var(--vr-tour-hotspot-size, 36px) / -2);
    border: 2px solid #fff;
    border-radius: 50%;
    background: var(--vr-tour-accent, #3b82f6);
    color: #fff;
    font: inherit;
    font-weight: 700;
    padding: 0;
    cursor: pointer;
    pointer-events: auto;
    box-shadow: 0 1px 4px #0008;
    display: grid;
    place-items: center;
    text-decoration: none;
  }
  .spot:focus-visible { outline: 3px solid #fff; outline-offset: 2px; }
  .spot.behind { opacity: 0; pointer-events: none; }
  .spot.pill { width: auto; height: auto; border-radius: var(--vr-tour-radius, 8px); padding: 2px 8px; }
  .pop {
    position: absolute;
    left: 50%;
    bottom: 12px;
    transform: translateX(-50%);
    max-width: min(90%, 420px);
    max-height: 70%;
    overflow: auto;
    background: #fff;
    color: #111;
    border-radius: var(--vr-tour-radius, 8px);
    padding: 12px 36px 12px 16px;
    box-shadow: 0 4px 20px #0009;
    user-select: text;
  }
  .pop video, .pop img { max-width: 100%; }
  .pop .x { position: absolute; top: 4px; right: 4px; border: 0; background: none; font-size: 20px; cursor: pointer; }
  .bar { position: absolute; right: 8px; bottom: 8px; display: flex; gap: 6px; }
  .bar button {
    min-width: 36px;
    height: 36px;
    border: 0;
    border-radius: var(--vr-tour-radius, 8px);
    background: #000a;
    color: #fff;
    font: inherit;
    font-size: 18px;
    cursor: pointer;
  }
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
  .sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
