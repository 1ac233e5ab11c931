import sharp from 'sharp';

const SIZE = 32;
const KEEP = 8;

/**
 * A 64-bit perceptual hash (DCT of a 32x32 grey thumbnail, the 8x8 lowest
 * frequencies but the constant one, each above or below their median), as
 * 16 hex digits. Near-identical images differ in few bits whatever their
 * size, compression or small edits; a panorama turned by a large angle does not match.
 */
export async function perceptualHash(image: Buffer): Promise<string> {
  const pixels = await sharp(image).greyscale().resize(SIZE, SIZE, { fit: 'fill' }).raw().toBuffer();
  const cosines = Array.from({ length: KEEP }, (_, u) => Array.from({ length: SIZE }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * SIZE))));
  const coefficients: number[] = [];
  for (let u = 0; u < KEEP; u += 1) {
    for (let v = 0; v < KEEP; v += 1) {
      let sum = 0;
      for (let y = 0; y < SIZE; y += 1) for (let x = 0; x < SIZE; x += 1) sum += pixels[y * SIZE + x]! * cosines[u]![y]! * cosines[v]![x]!;
      coefficients.push(sum);
    }
  }
  const ac = coefficients.slice(1);
  const median = [...ac].sort((a, b) => a - b)[Math.floor(ac.length / 2)]!;
  let bits = 0n;
  for (const value of coefficients) bits = (bits << 1n) | (value > median ? 1n : 0n);
  return bits.toString(16).padStart(16, '0');
}

/** Bits that differ between two hashes. */
export function hammingDistance(a: string, b: string): number {
  let diff = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let count = 0;
  while (diff > 0n) {
    count += Number(diff & 1n);
    diff >>= 1n;
  }
  return count;
}

/** At most this many differing bits of 64: the same place, photographed again or re-encoded. */
export const NEAR_DUPLICATE_BITS = 10;
