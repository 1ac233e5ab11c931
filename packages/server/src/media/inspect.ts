import { fileTypeFromFile } from 'file-type';
import sharp from 'sharp';
import { HttpProblem } from '../http/problem.js';

export const MEDIA_KINDS_ACCEPTED = ['panorama', 'floor_plan', 'image'] as const;
export type AcceptedKind = (typeof MEDIA_KINDS_ACCEPTED)[number];

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif']);

export interface Inspected {
  mimeType: string;
  width: number;
  height: number;
}

const unprocessable = (detail: string, path = 'file') =>
  new HttpProblem(422, 'Unprocessable Content', detail, { errors: [{ path, message: detail }] });

/**
 * Checks an upload before anything is stored: its type by its bytes (never
 * its name or the client's Content-Type), its pixel count from the header
 * alone (a decompression bomb is refused before it is decoded), and the 2:1
 * shape of an equirectangular panorama.
 */
export async function inspectUpload(file: string, kind: AcceptedKind, maxPixels: number): Promise<Inspected> {
  const sniffed = await fileTypeFromFile(file);
  if (!sniffed || !IMAGE_TYPES.has(sniffed.mime)) {
    throw new HttpProblem(415, 'Unsupported Media Type', `the file's content is ${sniffed ? sniffed.mime : 'not a known image type'}; send a JPEG, PNG, WebP or AVIF image`, {
      errors: [{ path: 'file', message: 'is not a JPEG, PNG, WebP or AVIF image' }],
    });
  }
  let width: number | undefined;
  let height: number | undefined;
  try {
    // Header only: sharp's own pixel limit is lifted here so the check below can name the size.
    ({ width, height } = await sharp(file, { limitInputPixels: false }).metadata());
  } catch {
    throw unprocessable('the image is damaged: its header cannot be read');
  }
  if (!width || !height) throw unprocessable('the image has no dimensions');
  if (width * height > maxPixels) {
    throw new HttpProblem(413, 'Content Too Large', `the image is ${width}x${height} pixels, more than the limit of ${maxPixels} pixels`, {
      errors: [{ path: 'file', message: `more than ${maxPixels} pixels` }],
    });
  }
  // One pixel of slack: some stitchers write 8192x4097 and the like.
  if (kind === 'panorama' && Math.abs(width - 2 * height) > 1) {
    throw unprocessable(
      `a panorama must be equirectangular, twice as wide as it is high (2:1); this image is ${width}x${height} (${(width / height).toFixed(2)}:1)`,
    );
  }
  if (kind === 'panorama' && width < 512) throw unprocessable(`a panorama must be at least 512 pixels wide; this one is ${width}`);
  return { mimeType: sniffed.mime, width, height };
}
