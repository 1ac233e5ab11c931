/**
 * View math shared by the shell (hotspot projection) and the renderer.
 * Angles are degrees: yaw 0 is the panorama's centre column and grows to the
 * right, pitch grows upwards, fov is the horizontal field of view.
 * A direction (yaw, pitch) is (sin yaw cos pitch, sin pitch, cos yaw cos pitch).
 */

export interface View {
  yaw: number;
  pitch: number;
  fov: number;
}

export type Vec3 = [number, number, number];

export const FOV_MIN = 10;
export const FOV_MAX = 120;
export const PITCH_LIMIT = 90;
const RAD = Math.PI / 180;

export const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, value));

/** Wraps an angle into [-180, 180). */
export const wrapYaw = (degrees: number): number => ((((degrees + 180) % 360) + 360) % 360) - 180;

export function direction(yaw: number, pitch: number): Vec3 {
  const cp = Math.cos(pitch * RAD);
  return [Math.sin(yaw * RAD) * cp, Math.sin(pitch * RAD), Math.cos(yaw * RAD) * cp];
}

/** The camera's forward, right and up unit vectors for a view. */
export function basis(view: View): [Vec3, Vec3, Vec3] {
  const y = view.yaw * RAD;
  const p = view.pitch * RAD;
  const sy = Math.sin(y);
  const cy = Math.cos(y);
  const sp = Math.sin(p);
  const cp = Math.cos(p);
  return [
    [sy * cp, sp, cy * cp],
    [cy, 0, -sy],
    [-sy * sp, cp, -cy * sp],
  ];
}

/** tan of half the horizontal and vertical fields of view for a viewport. */
export function tanHalf(fov: number, width: number, height: number): [number, number] {
  const x = Math.tan((clamp(fov, FOV_MIN, FOV_MAX) * RAD) / 2);
  return [x, (x * height) / Math.max(1, width)];
}

/**
 * Projects (yaw, pitch) into CSS pixels of a width x height viewport, or null
 * when the point is behind the camera.
 */
export function project(view: View, yaw: number, pitch: number, width: number, height: number): [number, number] | null {
  const d = direction(yaw, pitch);
  const [f, r, u] = basis(view);
  const z = d[0] * f[0] + d[1] * f[1] + d[2] * f[2];
  if (z < 0.05) return null;
  const [tx, ty] = tanHalf(view.fov, width, height);
  const x = (d[0] * r[0] + d[2] * r[2]) / (z * tx);
  const y = (d[0] * u[0] + d[1] * u[1] + d[2] * u[2]) / (z * ty);
  return [((x + 1) / 2) * width, ((1 - y) / 2) * height];
}

/** Keeps a view inside the limits: pitch stays within +-90, fov within [fovMin, FOV_MAX]. */
export function normalizeView(view: View, fovMin = FOV_MIN): View {
  return {
    yaw: wrapYaw(view.yaw),
    pitch: clamp(view.pitch, -PITCH_LIMIT, PITCH_LIMIT),
    fov: clamp(view.fov, Math.min(fovMin, FOV_MAX), FOV_MAX),
  };
}

/**
 * The narrowest fov at which a panorama `levelWidth` px wide still gives a
 * texel to every CSS pixel at the view's centre, in a view `cssWidth` px wide:
 * narrower only magnifies blur.
 */
export const sharpFov = (levelWidth: number, cssWidth: number): number =>
  Math.max(FOV_MIN, (2 * Math.atan((Math.PI * cssWidth) / Math.max(1, levelWidth))) / RAD);
