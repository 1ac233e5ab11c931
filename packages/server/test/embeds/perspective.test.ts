import { describe, expect, it } from 'vitest';
import type { PanoramaLevel } from '@vr-tour/protocol';
import { perspectiveView, type RawImage } from '../../src/embeds/perspective.js';
import { cardSourceLevel } from '../../src/embeds/social-card.js';
import { angleBetween, paintPanorama, RED, type Rgb } from './support/panorama.js';

const RAD = Math.PI / 180;
const BLACK: Rgb = [0, 0, 0];
const WHITE: Rgb = [255, 255, 255];

/** Where a pinhole camera looking at (yaw, pitch) with this horizontal fov puts a direction, in pixels; computed with vectors, not the code under test's rotations. */
function pinhole(view: { yaw: number; pitch: number; fov: number }, width: number, height: number, yaw: number, pitch: number): [number, number] {
  const direction = (y: number, p: number) => [Math.sin(y * RAD) * Math.cos(p * RAD), Math.sin(p * RAD), Math.cos(y * RAD) * Math.cos(p * RAD)];
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const forward = direction(view.yaw, view.pitch);
  const right = [Math.cos(view.yaw * RAD), 0, -Math.sin(view.yaw * RAD)];
  const up = direction(view.yaw, view.pitch + 90);
  const target = direction(yaw, pitch);
  const tanX = Math.tan((view.fov * RAD) / 2);
  const tanY = (tanX * height) / width;
  const x = dot(target, right) / dot(target, forward) / tanX;
  const y = dot(target, up) / dot(target, forward) / tanY;
  return [((x + 1) / 2) * width, ((1 - y) / 2) * height];
}

/** The centre of the pixels that `match`, or undefined when none does. */
function centroid(image: RawImage, match: (r: number, g: number, b: number) => boolean, rows?: [number, number]): [number, number] | undefined {
  let sumX = 0;
  let sumY = 0;
  let count = 0;
  const [from, to] = rows ?? [0, image.height];
  for (let y = from; y < to; y += 1) {
    for (let x = 0; x < image.width; x += 1) {
      const at = (y * image.width + x) * image.channels;
      if (match(image.data[at]!, image.data[at + 1]!, image.data[at + 2]!)) {
        sumX += x + 0.5;
        sumY += y + 0.5;
        count += 1;
      }
    }
  }
  return count ? [sumX / count, sumY / count] : undefined;
}

const isRed = (r: number, g: number, b: number) => r > 150 && g < 90 && b < 90;
const isWhite = (r: number, g: number, b: number) => r > 128 && g > 128 && b > 128;

/** Black, with a small red disc (3° across) at each of `marks`. */
const marked = (...marks: [number, number][]) =>
  paintPanorama(2048, (yaw, pitch) => (marks.some(([markYaw, markPitch]) => angleBetween(yaw, pitch, markYaw, markPitch) < 1.5) ? RED : BLACK));

describe('the start view reprojected from the panorama', () => {
  it('puts a feature at a known bearing in the middle of a view looking at it', () => {
    const view = perspectiveView(marked([60, 20]), { yaw: 60, pitch: 20, fov: 60 }, 1200, 630);
    expect(view).toMatchObject({ width: 1200, height: 630, channels: 3 });
    const [x, y] = centroid(view, isRed)!;
    expect(Math.abs(x - 600)).toBeLessThan(1);
    expect(Math.abs(y - 315)).toBeLessThan(1);
  });

  it('puts it where a pinhole camera would, off-centre, for several views', () => {
    const panorama = marked([60, 20]);
    for (const camera of [
      { yaw: 30, pitch: 0, fov: 90 },
      { yaw: 75, pitch: 28, fov: 50 },
      { yaw: 90, pitch: -10, fov: 120 },
    ]) {
      const [expectedX, expectedY] = pinhole(camera, 1200, 630, 60, 20);
      const [x, y] = centroid(perspectiveView(panorama, camera, 1200, 630), isRed)!;
      // Off-axis, the disc's image is a little elongated: its centroid moves by a fraction of a pixel.
      expect(Math.abs(x - expectedX), JSON.stringify(camera)).toBeLessThan(1.5);
      expect(Math.abs(y - expectedY), JSON.stringify(camera)).toBeLessThan(1.5);
    }
  });

  it('turns right for a growing yaw and looks up for a growing pitch', () => {
    const panorama = marked([10, 0]);
    const [x] = centroid(perspectiveView(panorama, { yaw: 0, pitch: 0, fov: 90 }, 1200, 630), isRed)!;
    expect(x).toBeGreaterThan(600);
    const [, y] = centroid(perspectiveView(marked([0, 10]), { yaw: 0, pitch: 0, fov: 90 }, 1200, 630), isRed)!;
    expect(y).toBeLessThan(315);
  });

  it('keeps straight lines straight: a meridian seen from above the horizon is a slanted straight line, not the panorama’s vertical one', () => {
    const panorama = paintPanorama(2048, (yaw, pitch) => (Math.abs(yaw + 20) < 0.3 && Math.abs(pitch) < 70 ? WHITE : BLACK));
    const camera = { yaw: 0, pitch: 25, fov: 100 };
    const view = perspectiveView(panorama, camera, 1200, 630);
    const points: [number, number][] = [];
    for (let row = 20; row < 610; row += 30) {
      const found = centroid(view, isWhite, [row, row + 1]);
      if (found) points.push(found);
    }
    expect(points.length).toBeGreaterThan(15);
    // The least-squares line x = a + b·y through the line's points.
    const n = points.length;
    const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
    const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
    const slope = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0) / points.reduce((sum, [, y]) => sum + (y - meanY) ** 2, 0);
    const worst = Math.max(...points.map(([x, y]) => Math.abs(meanX + slope * (y - meanY) - x)));
    expect(worst).toBeLessThan(1);
    // Meridians meet at the zenith, above the view's centre: this one, left of centre, leans right going up,
    // along the line a pinhole camera draws through two of its points.
    const [lowX, lowY] = pinhole(camera, 1200, 630, -20, 0);
    const [highX, highY] = pinhole(camera, 1200, 630, -20, 45);
    expect(slope).toBeLessThan(-0.1);
    expect(Math.abs(slope - (highX - lowX) / (highY - lowY))).toBeLessThan(0.01);
  });

  it('joins the panorama’s left and right edges behind the viewer', () => {
    const [x, y] = centroid(perspectiveView(marked([180, 0]), { yaw: 180, pitch: 0, fov: 60 }, 1200, 630), isRed)!;
    expect(Math.abs(x - 600)).toBeLessThan(1);
    expect(Math.abs(y - 315)).toBeLessThan(1);
  });

  it('projects from the narrowest level sharp enough for the card, never one wider than 4096', () => {
    const level = (width: number, format: PanoramaLevel['format']): PanoramaLevel => ({ width, height: width / 2, url: `/media/${width}.${format}`, format });
    const levels = [level(2048, 'webp'), level(2048, 'jpeg'), level(4096, 'webp'), level(4096, 'jpeg'), level(8192, 'jpeg')];
    expect(cardSourceLevel(levels, 120)).toEqual(level(4096, 'jpeg'));
    expect(cardSourceLevel(levels, 30)).toEqual(level(4096, 'jpeg'));
    expect(cardSourceLevel([level(2048, 'webp'), level(2048, 'jpeg')], 90)).toEqual(level(2048, 'jpeg'));
    expect(cardSourceLevel([level(1024, 'jpeg'), level(4096, 'jpeg')], 120)).toEqual(level(4096, 'jpeg'));
    expect(cardSourceLevel([level(8192, 'jpeg')], 90)).toEqual(level(8192, 'jpeg'));
  });
});
