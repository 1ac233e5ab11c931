import type { Scene, TourDocument } from '@vr-tour/protocol';
import type { TourStrings } from '../i18n.js';
import type { View } from '../math.js';

/** What the lazily loaded panels (title, branding, scene strip, floor plan, audio, VR) need of their element. */
export interface PanelsHost {
  /** The `<vr-tour>`: panels keep their state per element. */
  readonly element: HTMLElement;
  readonly root: ShadowRoot;
  readonly tour: TourDocument;
  readonly scene: Scene;
  readonly view: View;
  /** False with `branding="off"`: no logo, colours or credit. */
  readonly branded: boolean;
  /** CSS px of the element. */
  readonly width: number;
  readonly height: number;
  readonly strings: TourStrings;
  readonly lang: string;
  goTo(sceneId: string): Promise<void>;
  /** Resolves a URL of the tour document (media) against the document's own URL. */
  resolve(url: string): string;
  requestUpdate(): void;
}
