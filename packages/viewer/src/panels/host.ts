import type { Scene, TourDocument } from '@vr-tour/protocol';
import type { ShareChannel } from '../events.js';
import { stringsFor, uiLang, type TourStrings } from '../i18n.js';
import type { View } from '../math.js';
import { panelStrings, type PanelStrings } from './strings.js';

/** The `<vr-tour>` as the panels see it: its public side. */
export interface PanelsElement extends HTMLElement {
  readonly tour: TourDocument | null;
  readonly currentScene: Scene | null;
  readonly src: string;
  readonly branding: 'on' | 'off';
  readonly renderRoot: HTMLElement | DocumentFragment;
  readonly updateComplete: Promise<boolean>;
  getView(): View;
  goTo(sceneId: string): Promise<void>;
  shareUrl(): string;
  recordShare(url: string, channel: ShareChannel): void;
  resolve(url: string): string;
  requestUpdate(): void;
}

/** What the lazily loaded panels (title, branding, scene strip, floor plan, audio, share dialog, VR) work with. */
export interface PanelsHost {
  /** The element: panels keep their state per element. */
  readonly element: PanelsElement;
  readonly root: ShadowRoot;
  readonly tour: TourDocument;
  readonly scene: Scene;
  readonly view: View;
  /** False with `branding="off"`: no logo, colours or credit. */
  readonly branded: boolean;
  /** The tour document's absolute URL. */
  readonly src: string;
  /** CSS px of the element. */
  readonly width: number;
  readonly height: number;
  readonly strings: TourStrings & PanelStrings;
}

/** The element's state as the panels read it (only once it shows a scene). */
export function hostOf(element: PanelsElement): PanelsHost {
  return {
    element,
    root: element.renderRoot as ShadowRoot,
    tour: element.tour!,
    scene: element.currentScene!,
    view: element.getView(),
    branded: element.branding !== 'off',
    src: element.resolve(element.src),
    width: element.clientWidth,
    height: element.clientHeight,
    strings: panelStrings(stringsFor(uiLang(element)), uiLang(element)),
  };
}
