import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import { ShareEvent, type ShareChannel } from '../events.js';
import { sharedHash } from './scenes.js';
import type { ShareDialogHost } from '../panels/share-dialog.js';

type DialogModule = typeof import('../panels/share-dialog.js');

export interface ShareInterface {
  /**
   * A link that reopens the tour at this scene and view: on the tour's own
   * share or iframe page, its share page with `?scene=…&yaw=…&pitch=…&fov=…`
   * (what `/t/{id}` passes on to the viewer); on any other page, that page
   * with `#vr-tour=<tour>/<scene>/<yaw>/<pitch>/<fov>`, which the element reads.
   */
  shareUrl(): string;
  /**
   * Shares the current view: the system share sheet where there is one, else
   * the clipboard. Dispatches `share` and resolves with the channel used.
   */
  share(): Promise<ShareChannel>;
  /** Opens the share dialog (copy link, copy embed code, the system share sheet); nothing with `branding="off"`. */
  openShareDialog(): Promise<void>;
  /** Closes the share dialog and gives the focus back to what opened it. */
  closeShareDialog(): void;
}

/**
 * Sharing: deep links, `share()` through navigator.share or the clipboard,
 * and the share dialog (its own chunk, `panels/share-dialog.ts`), each
 * recording a share event with its channel.
 */
export const ShareMixin = <T extends Constructor<LoadingElementBase>>(Base: T) => {
  class ShareElement extends Base {
    @state() private dialog: DialogModule | null = null;
    @state() private dialogOpen = false;
    private dialogOpener: HTMLElement | null = null;

    shareUrl(): string {
      const tour = this.tour;
      const scene = this.currentScene;
      if (!tour || !scene) return location.href.split('#')[0]!;
      const canonical = document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href;
      const ownPage = [`/t/${tour.id}`, `/embed/${tour.id}`];
      if (canonical && (ownPage.includes(location.pathname) || ownPage.includes(new URL(canonical).pathname))) {
        const { yaw, pitch, fov } = this.view;
        const query = new URLSearchParams({ scene: scene.id, yaw: yaw.toFixed(1), pitch: pitch.toFixed(1), fov: fov.toFixed(0) });
        return `${canonical.split(/[?#]/)[0]}?${query}`;
      }
      return location.href.split('#')[0]! + sharedHash(tour.id, scene.id, this.view);
    }

    async share(): Promise<ShareChannel> {
      const url = this.shareUrl();
      let channel: ShareChannel = 'other';
      try {
        if (navigator.share) {
          await navigator.share({ title: this.tour?.title ?? document.title, url });
          channel = 'native';
        } else {
          await navigator.clipboard.writeText(url);
          channel = 'copy';
        }
      } catch {
        // Dismissed or not allowed: the page can still use event.detail.url.
      }
      this.recordShare(url, channel);
      return channel;
    }

    async openShareDialog(): Promise<void> {
      if (this.branding === 'off' || !this.tour) return;
      const active = this.shadowRoot?.activeElement;
      this.dialogOpener = active instanceof HTMLElement ? active : null;
      this.dialog ??= await import('../panels/share-dialog.js');
      this.dialog.adopt(this.renderRoot as ShadowRoot);
      this.dialogOpen = true;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.share [autofocus]')?.focus();
    }

    closeShareDialog(): void {
      if (!this.dialogOpen) return;
      this.dialogOpen = false;
      (this.dialogOpener ?? this).focus();
    }

    /** Dispatches `share` and sends the share event. */
    private recordShare(url: string, channel: ShareChannel): void {
      this.dispatchEvent(new ShareEvent({ url, channel }));
      this.track({ type: 'share', sceneId: this.currentScene?.id, channel });
    }

    protected override renderPanels(): TemplateResult | typeof nothing {
      const dialog = this.dialogOpen && this.tour && this.dialog;
      if (!dialog || this.branding === 'off') return super.renderPanels();
      const host: ShareDialogHost = {
        tour: this.tour!,
        src: new URL(this.src, document.baseURI).href,
        sceneId: this.currentScene?.id ?? null,
        view: this.getView(),
        strings: this.strings,
        lang: this.uiLang,
        link: () => this.shareUrl(),
        shared: (url, channel) => this.recordShare(url, channel),
        close: () => this.closeShareDialog(),
        requestUpdate: () => this.requestUpdate(),
      };
      return html`${super.renderPanels()}${dialog.renderShareDialog(host)}`;
    }
  }
  return ShareElement as unknown as Constructor<ShareInterface> & T;
};
