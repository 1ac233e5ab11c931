import type { Constructor } from '../tour-element-base.js';
import type { LoadingElementBase } from './loading.js';
import { ShareEvent, type ShareChannel } from '../events.js';
import { sharedHash } from './scenes.js';

export interface ShareInterface {
  /** A link to this page that reopens the tour at this scene and view. */
  shareUrl(): string;
  /**
   * Shares the current view: the system share sheet where there is one, else
   * the clipboard. Dispatches `share` and resolves with the channel used.
   */
  share(): Promise<ShareChannel>;
}

/** Sharing: a deep link (`#vr-tour=…`) through navigator.share or the clipboard. */
export const ShareMixin = <T extends Constructor<LoadingElementBase>>(Base: T) => {
  class ShareElement extends Base {
    shareUrl(): string {
      const base = location.href.split('#')[0]!;
      return this.tour && this.currentScene ? base + sharedHash(this.tour.id, this.currentScene.id, this.view) : base;
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
      this.dispatchEvent(new ShareEvent({ url, channel }));
      this.track({ type: 'share', sceneId: this.currentScene?.id, channel });
      return channel;
    }
  }
  return ShareElement as unknown as Constructor<ShareInterface> & T;
};
