import type { NewBeaconEvent } from '@vr-tour/protocol';
import type { Constructor, TourElementBase } from '../tour-element-base.js';
import type { BeaconClient } from '../beacon/client.js';

export interface AnalyticsInterface {
  /** Records a like of the tour (sent with the other analytics events). */
  like(): void;
}

/** Share of page loads that report performance events (viewer timings and web-vitals). */
export const analyticsConfig = { performanceSampleRate: 0.25 };

/**
 * Analytics: hands events to the beacon client, loaded as its own chunk on the
 * first event. Nothing is loaded or sent with `analytics="off"` or when the
 * tour has no collector.
 */
export const AnalyticsMixin = <T extends Constructor<TourElementBase>>(Base: T) => {
  class AnalyticsElement extends Base {
    private beacon: Promise<BeaconClient> | null = null;
    private beaconKey = '';

    like(): void {
      this.track({ type: 'like', sceneId: this.currentScene?.id });
    }

    protected override track(event: NewBeaconEvent): void {
      super.track(event);
      const tour = this.tour;
      if (this.analytics === 'off' || !tour?.collectorUrl) return;
      const at = performance.now();
      const url = this.resolve(tour.collectorUrl);
      const key = `${url} ${tour.id}`;
      if (key !== this.beaconKey) {
        this.beaconKey = key;
        this.beacon = import('../beacon/client.js').then((module) =>
          module.beaconClient(url, tour.id, analyticsConfig.performanceSampleRate),
        );
      }
      this.beacon!.then((client) => this.analytics !== 'off' && client.add(event, at)).catch(() => {});
    }
  }
  return AnalyticsElement as unknown as Constructor<AnalyticsInterface> & T;
};
