import { html, type TemplateResult } from 'lit';

/**
 * A hotspot's or control's name drawn beside it on hover and keyboard focus
 * (styles.ts), instead of the native tooltip. Hidden from assistive
 * technology: the marker's accessible name says it already.
 */
export const tip = (label: string): TemplateResult => html`<span class="tip" part="label" aria-hidden="true">${label}</span>`;

/** Shown over the tour when one finger tried to turn it on a page that scrolls. */
export const touchHint = (text: string): TemplateResult => html`<div class="msg hint" part="hint">${text}</div>`;
