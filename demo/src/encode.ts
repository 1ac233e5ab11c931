import sharp from 'sharp';
import type { RawImage } from './panorama.js';

/**
 * sharp encoders for rendered images. Kept apart from the renderer so the
 * renderer (and `expectedColorAt`) stays importable where sharp is not, like a browser test.
 */

export type PanoramaFormat = 'jpeg' | 'webp';

export interface EncodeOptions {
  format: PanoramaFormat;
  quality: number;
  /** Resize to this width first, keeping the aspect ratio; absent keeps the size. */
  width?: number;
  /** Force a height too (a thumbnail of a set shape). */
  height?: number;
}

export function encodeImage(image: RawImage, { format, quality, width, height }: EncodeOptions): Promise<Buffer> {
  let pipeline = sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), {
    raw: { width: image.width, height: image.height, channels: image.channels },
  });
  if (width !== undefined && (width !== image.width || (height !== undefined && height !== image.height))) {
    pipeline = pipeline.resize(width, height, { fit: 'fill', kernel: 'lanczos3' });
  }
  return format === 'jpeg'
    ? pipeline.jpeg({ quality, mozjpeg: true }).toBuffer()
    : pipeline.webp({ quality }).toBuffer();
}

/** An equirectangular panorama at `width` x `width / 2`. */
export function encodePanorama(image: RawImage, width: number, format: PanoramaFormat = 'jpeg', quality = 82): Promise<Buffer> {
  return encodeImage(image, { format, quality, width, height: width / 2 });
}
