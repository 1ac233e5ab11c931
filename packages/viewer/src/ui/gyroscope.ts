import { clamp, type View } from '../math.js';

const RAD = Math.PI / 180;

/** Yaw and pitch (degrees) the back of the device points at, from DeviceOrientationEvent angles. */
export function orientationView(alpha: number, beta: number, gamma: number): { heading: number; pitch: number } {
  const [a, b, g] = [alpha * RAD, beta * RAD, gamma * RAD];
  // -Z of the device in the earth frame (x east, y north, z up), for R = Rz(alpha) Rx(beta) Ry(gamma).
  const x = -(Math.cos(a) * Math.sin(g) + Math.sin(a) * Math.sin(b) * Math.cos(g));
  const y = -(Math.sin(a) * Math.sin(g) - Math.cos(a) * Math.sin(b) * Math.cos(g));
  const z = -Math.cos(b) * Math.cos(g);
  return { heading: Math.atan2(x, y) / RAD, pitch: Math.asin(clamp(z, -1, 1)) / RAD };
}

/**
 * Follows the device's orientation: the heading at the start faces the view's
 * yaw then. Asks iOS 13+ for permission first, which must happen in a user
 * gesture (the gyroscope button's click). Resolves with a function that stops
 * following, or null when permission was refused.
 */
export async function followDevice(view: () => View, setView: (view: Partial<View>) => void): Promise<(() => void) | null> {
  const permission = (globalThis.DeviceOrientationEvent as unknown as { requestPermission?: () => Promise<string> })?.requestPermission;
  if (permission && (await permission().catch(() => 'denied')) !== 'granted') return null;
  let base: { heading: number; yaw: number } | null = null;
  const onOrientation = (event: DeviceOrientationEvent): void => {
    if (event.alpha === null || event.beta === null || event.gamma === null) return;
    const { heading, pitch } = orientationView(event.alpha, event.beta, event.gamma);
    base ??= { heading, yaw: view().yaw };
    setView({ yaw: base.yaw + heading - base.heading, pitch });
  };
  addEventListener('deviceorientation', onOrientation);
  return () => removeEventListener('deviceorientation', onOrientation);
}
