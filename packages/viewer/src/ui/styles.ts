import { adoptStyles, css, type CSSResultOrNative, type LitElement } from 'lit';

/** Styles of the UI chunk, added to an element's shadow root once the chunk arrived. */
const uiStyles = css`
  .tip {
    position: absolute;
    left: 50%;
    bottom: calc(100% + 8px);
    transform: translateX(-50%);
    padding: 4px 8px;
    border-radius: var(--vr-tour-radius, 8px);
    background: #111e;
    color: #fff;
    font-size: 13px;
    font-weight: 600;
    white-space: nowrap;
    pointer-events: none;
    opacity: 0;
    transition: opacity 0.15s;
  }
  .spot.low .tip { bottom: auto; top: calc(100% + 8px); }
  .spot:hover .tip, .spot:focus-visible .tip, .bar button:hover .tip, .bar button:focus-visible .tip { opacity: 1; }
  .pop {
    position: absolute;
    left: 0;
    top: 0;
    box-sizing: border-box;
    width: min(320px, calc(100% - 16px));
    max-height: calc(100% - 16px);
    overflow: auto;
    background: #fff;
    color: #111;
    border-radius: var(--vr-tour-radius, 8px);
    padding: 12px 44px 12px 16px;
    box-shadow: 0 4px 20px #0009;
    user-select: text;
    -webkit-user-select: text;
    touch-action: pan-y;
    z-index: 1;
  }
  .pop video, .pop img { max-width: 100%; }
  .pop a { color: #1d4ed8; }
  .pop .x {
    position: absolute;
    top: 0;
    right: 0;
    width: 44px;
    height: 44px;
    border: 0;
    background: none;
    color: #111;
    font-size: 22px;
    cursor: pointer;
  }
  .bar { position: absolute; right: 8px; bottom: 8px; display: flex; gap: 4px; }
  .bar button {
    position: relative;
    display: grid;
    place-items: center;
    width: 44px;
    height: 44px;
    padding: 0;
    border: 0;
    border-radius: var(--vr-tour-radius, 8px);
    background: #000b;
    color: #fff;
    cursor: pointer;
  }
  .bar button[aria-pressed='true'] { background: var(--vr-tour-accent, #2563eb); }
  .bar .tip { left: auto; right: 0; transform: none; }
  .hint { pointer-events: none; }
`;

/** Adds the UI styles to an element's shadow root, after its own. */
export function adoptUiStyles(element: LitElement): void {
  const own = (element.constructor as unknown as { elementStyles: CSSResultOrNative[] }).elementStyles;
  adoptStyles(element.renderRoot as ShadowRoot, [...own, uiStyles]);
}
