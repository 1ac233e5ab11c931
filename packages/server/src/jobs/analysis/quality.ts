import type { RawImage } from '../../embeds/perspective.js';
import type { ImageQuality } from './analyzer.js';

/** Below this variance of the Laplacian (on 512 px views of 90°), a panorama looks soft. */
const BLUR_THRESHOLD = 60;

function luma(image: RawImage, index: number): number {
  const at = index * image.channels;
  return 0.299 * image.data[at]! + 0.587 * image.data[at + 1]! + 0.114 * image.data[at + 2]!;
}

/** Variance of the 4-neighbour Laplacian of the luma, over the inner pixels. */
export function laplacianVariance(image: RawImage): number {
  const { width, height } = image;
  const grey = new Float32Array(width * height);
  for (let index = 0; index < grey.length; index += 1) grey[index] = luma(image, index);
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let y = 1; y < height - 1; y += 1) {
    for (let x = 1; x < width - 1; x += 1) {
      const at = y * width + x;
      const value = grey[at - 1]! + grey[at + 1]! + grey[at - width]! + grey[at + width]! - 4 * grey[at]!;
      sum += value;
      squares += value * value;
      count += 1;
    }
  }
  const mean = sum / count;
  return squares / count - mean * mean;
}

/**
 * Blur from the horizon views (a panorama's own pixels are stretched towards
 * the poles, which would read as blur), highlights and exposure from the
 * whole panorama.
 */
export function measureQuality(panorama: RawImage, horizonViews: RawImage[]): ImageQuality {
  const sharpness = horizonViews.reduce((sum, view) => sum + laplacianVariance(view), 0) / horizonViews.length;
  const pixels = panorama.width * panorama.height;
  let clipped = 0;
  let crushed = 0;
  let lumaSum = 0;
  for (let index = 0; index < pixels; index += 1) {
    const at = index * panorama.channels;
    if (Math.max(panorama.data[at]!, panorama.data[at + 1]!, panorama.data[at + 2]!) >= 250) clipped += 1;
    const value = luma(panorama, index);
    if (value <= 5) crushed += 1;
    lumaSum += value;
  }
  const meanLuma = lumaSum / pixels;
  const clippedHighlights = clipped / pixels;
  const crushedShadows = crushed / pixels;
  const exposure = meanLuma < 60 || crushedShadows > 0.15 ? 'under' : meanLuma > 190 || clippedHighlights > 0.15 ? 'over' : 'ok';
  return {
    sharpness: Math.round(sharpness * 10) / 10,
    blurry: sharpness < BLUR_THRESHOLD,
    clippedHighlights: Math.round(clippedHighlights * 10_000) / 10_000,
    crushedShadows: Math.round(crushedShadows * 10_000) / 10_000,
    meanLuma: Math.round(meanLuma * 10) / 10,
    exposure,
  };
}
