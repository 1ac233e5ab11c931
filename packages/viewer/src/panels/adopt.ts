import type { CSSResult } from 'lit';

/** Adds a lazily loaded panel's styles to the element's shadow root (through the CSSOM: strict CSPs allow it), once. */
export function adoptOnce(root: ShadowRoot, styles: CSSResult): void {
  const sheet = styles.styleSheet;
  if (sheet && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
}
