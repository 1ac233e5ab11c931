import { html, nothing, type TemplateResult } from 'lit';
import type { PanelsHost } from './host.js';
import type { PanelStrings } from './strings.js';

/** Placeholder until the VR mode lands. */
export function xrButton(_host: PanelsHost, _s: PanelStrings): TemplateResult | typeof nothing {
  return nothing;
}
void html;
