import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals';
import type { NewBeaconEvent } from '@vr-tour/protocol';
import { BEACON_LIMITS } from '@vr-tour/protocol/beacon-limits';

/** Reports the host page's Core Web Vitals as `performance` events. */
export function reportVitals(report: (event: NewBeaconEvent<'performance'>) => void): void {
  const send = (metric: Metric) =>
    report({ type: 'performance', metric: metric.name, value: Math.min(Math.max(metric.value, 0), BEACON_LIMITS.metricValueMax), rating: metric.rating });
  onLCP(send);
  onINP(send);
  onCLS(send);
  onFCP(send);
  onTTFB(send);
}
