import { nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import type { ScenesInterface } from './scenes.js';
import type { ShareInterface } from './share.js';

type ChromeModule = typeof import('../panels/chrome.js');

let chromeModule: Promise<ChromeModule> | null = null;

export interface PanelsInterface {
  /** Opens the share dialog (copy link, copy embed code, the system share sheet); nothing with `branding="off"`. */
  openShareDialog(): Promise<void>;
  /** Closes the share dialog and gives the focus back to what opened it. */
  closeShareDialog(): void;
}

/**
 * Panels: the scene title, the tour's branding, the scene strip, the floor
 * plan, the compass, tour audio, the share dialog and VR, all in chunks
 * (`panels/`) loaded once the first scene is drawn, so that none of it
 * delays the first picture.
 */
export const PanelsMixin = <T extends Constructor<LoadingElementBase & ScenesInterface & ShareInterface>>(Base: T) => {
  class PanelsElement extends Base {
    @state() private chrome: ChromeModule | null = null;
    private chromeAsked = false;

    private loadChrome(): Promise<ChromeModule> {
      this.chromeAsked = true;
      return (chromeModule ??= import('../panels/chrome.js')).then(
        (module) => (module.adopt(this.renderRoot as ShadowRoot), (this.chrome = module)),
        (error) => {
          chromeModule = null;
          this.chromeAsked = false;
          throw error;
        },
      );
    }

    async openShareDialog(): Promise<void> {
      if (this.branding !== 'off' && this.currentScene) await (await this.loadChrome()).openShare(this);
    }

    closeShareDialog(): void {
      if (this.currentScene) this.chrome?.closeShare(this);
    }

    override drawn(now: number): void {
      super.drawn(now);
      if (!this.chromeAsked) this.loadChrome().catch(() => {});
      if (this.chrome && this.currentScene) this.chrome.drawn(this);
    }

    override farFromViewport(): void {
      super.farFromViewport();
      this.chrome?.silence(this);
    }

    override disconnectedCallback(): void {
      super.disconnectedCallback();
      this.chrome?.silence(this);
    }

    protected override updated(changed: PropertyValues): void {
      super.updated(changed);
      if (this.chrome && this.currentScene) this.chrome.sync(this);
    }

    protected override renderPanels(): TemplateResult | typeof nothing {
      return this.chrome && this.currentScene ? this.chrome.renderChrome(this) : nothing;
    }
  }
  return PanelsElement as unknown as Constructor<PanelsInterface> & T;
};
