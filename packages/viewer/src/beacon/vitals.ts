import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { BeaconEventOf } from '@vr-tour/protocol';

type PerformanceEvent = Omit<BeaconEventOf<'performance'>, 'id' | 'offsetMs'>;

/** Reports the host page's Core Web Vitals as `performance` events. */
export function reportVitals(report: (event: PerformanceEvent) => void): void {
  const send = (metric: Metric) =>
    report({ type: 'performance', metric: metric.name, value: Math.min(Math.max(metric.value, 0), 600_000), rating: metric.rating });
  onLCP(send);
  onINP(send);
  onCLS(send);
  onFCP(send);
  onTTFB(send);
}
