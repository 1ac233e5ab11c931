import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import type { ScenesInterface } from './scenes.js';
import type { PanelsHost } from '../panels/host.js';

type ChromeModule = typeof import('../panels/chrome.js');

let chromeModule: Promise<ChromeModule> | null = null;

/**
 * Panels: the scene title, the tour's branding, the scene strip, the floor
 * plan, the compass, tour audio and VR, all in chunks loaded once the first
 * scene is drawn (`panels/`), so that none of it delays the first picture.
 */
export const PanelsMixin = <T extends Constructor<LoadingElementBase & ScenesInterface>>(Base: T) => {
  class PanelsElement extends Base {
    @state() private chrome: ChromeModule | null = null;

    override drawn(now: number): void {
      super.drawn(now);
      if (!this.chrome) {
        (chromeModule ??= import('../panels/chrome.js')).then(
          (module) => {
            module.adopt(this.renderRoot as ShadowRoot);
            this.chrome = module;
          },
          () => (chromeModule = null),
        );
      } else if (this.tour && this.currentScene) this.chrome.drawn(this.panelsHost());
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
      if (this.chrome && this.tour && this.currentScene) this.chrome.sync(this.panelsHost());
    }

    protected override renderPanels(): TemplateResult | typeof nothing {
      const chrome = this.chrome && this.tour && this.currentScene ? this.chrome.renderChrome(this.panelsHost()) : nothing;
      return html`${chrome}${super.renderPanels()}`;
    }

    private panelsHost(): PanelsHost {
      return {
        element: this,
        root: this.renderRoot as ShadowRoot,
        tour: this.tour!,
        scene: this.currentScene!,
        view: this.getView(),
        branded: this.branding !== 'off',
        width: this.cssWidth,
        height: this.cssHeight,
        strings: this.strings,
        lang: this.uiLang,
        goTo: (sceneId) => this.goTo(sceneId),
        resolve: (url) => this.resolve(url),
        requestUpdate: () => this.requestUpdate(),
      };
    }
  }
  return PanelsElement as unknown as T;
};
