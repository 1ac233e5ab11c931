import type { TemplateResult } from 'lit';
import type { Hotspot, Scene, TourDocument } from '@vr-tour/protocol';
import type { View } from '../math.js';

/**
 * What a hotspot type puts on screen: text (always shown as text), a node it
 * made, or a Lit template. A hotspot's fields come from the tour document and
 * are untrusted: put them in as text (`textContent`, Lit bindings), never as HTML.
 */
export type HotspotContent = string | Node | TemplateResult;

/** The `<vr-tour>` a hotspot is shown in, as its type sees it. */
export interface HotspotHost {
  /** The element itself. */
  readonly element: HTMLElement;
  readonly tour: TourDocument;
  /** The scene the hotspot is in. */
  readonly scene: Scene;
  /** The view now (degrees). */
  readonly view: View;
  /** Goes to a scene of the tour, as the element's `goTo`. */
  goTo(sceneId: string, view?: Partial<View>): Promise<void>;
  /**
   * Opens the element's popover for this hotspot: a dialog named by the
   * hotspot's title, holding `content`, whose close button takes the focus
   * (Escape closes it too, and gives the focus back to the hotspot). Does
   * nothing once the element shows another scene.
   */
  openPopover(content: HotspotContent): void;
  /** Resolves a URL of the tour document (media) against the document's own URL. */
  resolve(url: string): string;
  /** Draws the element's hotspots again: for content that arrives after `icon` was asked. */
  requestUpdate(): void;
}

/**
 * How one type of hotspot is shown and what activating it does. The element
 * places the marker by projection after every frame, keeps it in tab order,
 * records the click for analytics and dispatches `hotspot-click` (cancelable)
 * before `activate` runs.
 */
export interface HotspotRenderer<H extends Hotspot = Hotspot> {
  /** What the marker shows: a glyph, a short text, or content of its own. */
  icon(hotspot: H, host: HotspotHost): HotspotContent;
  /** The marker's accessible name, also drawn as its label on hover and focus (default: the hotspot's title). */
  label?(hotspot: H): string;
  /**
   * `round` (default): a disc of `--vr-tour-hotspot-size`, for a glyph;
   * `pill`: as wide as its content, for text.
   */
  shape?: 'round' | 'pill';
  /** An http(s) URL makes the marker a link opening it in a new tab (noopener); otherwise it is a button. */
  href?(hotspot: H): string | null;
  /** Activating opens the popover (announced as `aria-haspopup="dialog"`). */
  opensPopover?: boolean;
  /** What activating the marker does, unless a `hotspot-click` listener cancelled the event. */
  activate?(hotspot: H, host: HotspotHost): void | Promise<void>;
}
