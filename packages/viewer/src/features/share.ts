import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import { ShareEvent, type ShareChannel } from '../events.js';
import { sharedHash } from './scenes.js';

export interface ShareInterface {
  /**
   * A link that reopens the tour at this scene and view: the page's canonical
   * URL (on the tour's iframe page, its share page), else the page's own, with
   * `#vr-tour=<tour>/<scene>/<yaw>/<pitch>/<fov>`, which the element reads.
   */
  shareUrl(): string;
  /**
   * Shares the current view: the system share sheet where there is one, else
   * the clipboard. Dispatches `share` and resolves with the channel used.
   */
  share(): Promise<ShareChannel>;
  /** Records a share made another way (the share dialog, the page's own buttons): dispatches `share` and sends the event. */
  recordShare(url: string, channel: ShareChannel): void;
}

/** Sharing: a deep link (`#vr-tour=…`) through navigator.share or the clipboard; the dialog is a panel (`panels/share-dialog.ts`). */
export const ShareMixin = <T extends Constructor<LoadingElementBase>>(Base: T) => {
  class ShareElement extends Base {
    shareUrl(): string {
      const page = (document.querySelector<HTMLLinkElement>('link[rel=canonical]')?.href || location.href).split('#')[0]!;
      return this.tour && this.currentScene ? page + sharedHash(this.tour.id, this.currentScene.id, this.view) : page;
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

    recordShare(url: string, channel: ShareChannel): void {
      this.dispatchEvent(new ShareEvent({ url, channel }));
      this.track({ type: 'share', sceneId: this.currentScene?.id, channel });
    }
  }
  return ShareElement as unknown as Constructor<ShareInterface> & T;
};
