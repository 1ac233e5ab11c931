import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { DEMO_ROOMS, renderRoom } from '@vr-tour/demo';
import type { RawImage } from '../../../src/embeds/perspective.js';

const require = createRequire(import.meta.url);

/** A photo that ships inside @vladmandic/human: the first tile of its samples.jpg, one person standing on a plain background. */
export async function personPhoto(): Promise<Buffer> {
  const samples = path.join(path.dirname(require.resolve('@vladmandic/human')), '..', 'assets', 'samples.jpg');
  return sharp(samples).extract({ left: 4, top: 0, width: 150, height: 158 }).toBuffer();
}

/** A demo room's panorama (demo/src), `width` wide, as raw RGB. */
export function roomPanorama(width: number, room = 0): RawImage {
  return renderRoom(DEMO_ROOMS[room]!, width);
}

/**
 * The panorama with `photo` pasted at `yaw` (degrees, 0 at the centre
 * column) on the horizon, `widthDeg` degrees wide. Near the horizon an
 * equirectangular panorama is nearly undistorted, so the photo reads as a
 * photo there; its centre is at the known bearing.
 */
export async function withPhotoAt(panorama: RawImage, photo: Buffer, yaw: number, widthDeg: number): Promise<RawImage> {
  const width = Math.round((widthDeg / 360) * panorama.width);
  const resized = await sharp(photo).resize({ width }).removeAlpha().toBuffer({ resolveWithObject: true });
  const left = Math.round(((yaw + 180) / 360) * panorama.width - resized.info.width / 2);
  const top = Math.round(panorama.height / 2 - resized.info.height / 2);
  const { data, info } = await sharp(Buffer.from(panorama.data), { raw: { width: panorama.width, height: panorama.height, channels: 3 } })
    .composite([{ input: resized.data, left, top }])
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 };
}

/** The panorama turned by `degrees` about the vertical axis: what was at yaw y is at y + degrees. */
export function rotated(panorama: RawImage, degrees: number): RawImage {
  const { width, height, channels } = panorama;
  const shift = Math.round((degrees / 360) * width);
  const out = new Uint8Array(panorama.data.length);
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const from = (y * width + x) * channels;
      const to = (y * width + ((((x + shift) % width) + width) % width)) * channels;
      out.set(panorama.data.subarray(from, from + channels), to);
    }
  }
  return { data: out, width, height, channels };
}

/** One channel of luma, as the feature matcher takes it. */
export function grey(panorama: RawImage): RawImage {
  const out = new Uint8Array(panorama.width * panorama.height);
  for (let index = 0; index < out.length; index += 1) {
    const at = index * panorama.channels;
    out[index] = Math.round(0.299 * panorama.data[at]! + 0.587 * panorama.data[at + 1]! + 0.114 * panorama.data[at + 2]!);
  }
  return { data: out, width: panorama.width, height: panorama.height, channels: 1 };
}
