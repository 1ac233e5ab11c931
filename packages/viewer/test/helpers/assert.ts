/** A few assertions (no chai in the browser bundle). */
export class AssertionError extends Error {}

export function ok(value: unknown, message = 'expected a truthy value'): asserts value {
  if (!value) throw new AssertionError(message);
}

export function equal<T>(actual: T, expected: T, message = ''): void {
  if (actual !== expected) throw new AssertionError(`${message} expected ${String(expected)}, got ${String(actual)}`);
}

export function below(actual: number, limit: number, message = ''): void {
  if (!(actual < limit)) throw new AssertionError(`${message} expected < ${limit}, got ${actual}`);
}

export type Rgb = [number, number, number];

export const colorDistance = (a: Rgb, b: Rgb): number => Math.max(...a.map((value, index) => Math.abs(value - b[index]!)));

export function closeColor(actual: Rgb, expected: Rgb, tolerance: number, message = ''): void {
  if (colorDistance(actual, expected) > tolerance) {
    throw new AssertionError(`${message} expected rgb(${expected}) ±${tolerance}, got rgb(${actual})`);
  }
}
