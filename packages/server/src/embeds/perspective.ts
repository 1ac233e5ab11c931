import type { View } from '@vr-tour/protocol';

/** Decoded pixels, row by row, `channels` bytes each (sharp's raw output). */
export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

const RAD = Math.PI / 180;

/**
 * The rectilinear (pinhole camera) view of an equirectangular panorama, as
 * `<vr-tour>` draws it: yaw 0 is the panorama's centre column and grows to
 * the right, pitch grows upwards, `fov` spans the output's width, and the
 * output has square pixels. Straight lines of the scene stay straight,
 * unlike in a crop of the panorama itself.
 *
 * Each output pixel's ray (viewRays) picks the source point by its
 * longitude and latitude, sampled bilinearly (wrapping around in longitude).
 */
export function perspectiveView(source: RawImage, view: View, width: number, height: number): RawImage {
  const { data: src, width: sw, height: sh, channels } = source;
  const out = new Uint8Array(width * height * channels);
  const ray = viewRays(view, width, height);
  const direction = new Float64Array(2);
  const lonScale = sw / (2 * Math.PI);
  const latScale = sh / Math.PI;
  const sample = new Float64Array(channels);

  for (let row = 0; row < height; row += 1) {
    for (let column = 0; column < width; column += 1) {
      ray(column + 0.5, row + 0.5, direction);
      const sx = direction[0]! * lonScale + sw / 2 - 0.5;
      const sy = Math.min(sh - 1, Math.max(0, sh / 2 - direction[1]! * latScale - 0.5));
      bilinear(src, sw, sh, channels, sx, sy, sample);
      const at = (row * width + column) * channels;
      for (let channel = 0; channel < channels; channel += 1) out[at + channel] = Math.round(sample[channel]!);
    }
  }
  return { data: out, width, height, channels };
}

/**
 * The rays of a `width` x `height` view: for a point (x, y) of the output
 * (pixels from its top-left corner), writes into `into` the longitude and
 * latitude (radians; longitude 0 at the panorama's centre column, growing to
 * the right) it shows. The ray (camera space: right, up, forward) is tilted
 * by the pitch, then turned by the yaw.
 */
export function viewRays(view: View, width: number, height: number): (x: number, y: number, into: Float64Array) => void {
  const tanX = Math.tan((view.fov * RAD) / 2);
  const tanY = (tanX * height) / width;
  const [sinYaw, cosYaw] = [Math.sin(view.yaw * RAD), Math.cos(view.yaw * RAD)];
  const [sinPitch, cosPitch] = [Math.sin(view.pitch * RAD), Math.cos(view.pitch * RAD)];
  return (x, y, into) => {
    const up = (1 - (y / height) * 2) * tanY;
    const right = ((x / width) * 2 - 1) * tanX;
    // Tilting by the pitch mixes only "up" and "forward".
    const tiltedUp = up * cosPitch + sinPitch;
    const tiltedForward = cosPitch - up * sinPitch;
    // Turning by the yaw mixes "right" and "forward" around the vertical axis.
    const rx = right * cosYaw + tiltedForward * sinYaw;
    const rz = tiltedForward * cosYaw - right * sinYaw;
    into[0] = Math.atan2(rx, rz);
    into[1] = Math.atan2(tiltedUp, Math.hypot(rx, rz));
  };
}

/** The source's colour at (x, y) in pixel-centre coordinates: columns wrap around, rows are clamped by the caller. */
function bilinear(src: Uint8Array, width: number, height: number, channels: number, x: number, y: number, into: Float64Array): void {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  const left = ((x0 % width) + width) % width;
  const right = (left + 1) % width;
  const top = y0;
  const bottom = Math.min(height - 1, y0 + 1);
  const a = (top * width + left) * channels;
  const b = (top * width + right) * channels;
  const c = (bottom * width + left) * channels;
  const d = (bottom * width + right) * channels;
  for (let channel = 0; channel < channels; channel += 1) {
    const upper = src[a + channel]! + (src[b + channel]! - src[a + channel]!) * fx;
    const lower = src[c + channel]! + (src[d + channel]! - src[c + channel]!) * fx;
    into[channel] = upper + (lower - upper) * fy;
  }
}
