import sharp from 'sharp';
import { expectedColorAt, type DemoRoom, type Rgb } from '@vr-tour/demo';

/**
 * Screen points whose colour proves what a viewer shows, with the colour the
 * demo renderer computes for the bearing under the point (demo/src/panorama.ts):
 * that the panorama is drawn sharp (points where neither the scene's 64 px
 * inline preview nor the scene shown before it has that colour: a blurry
 * preview, a loading screen or the previous scene match almost none of them),
 * or that any picture of it is on screen (panoramaSamples).
 */

export interface Sample {
  /** CSS px in the viewer's box. */
  x: number;
  y: number;
  rgb: Rgb;
}

export interface Viewport {
  width: number;
  height: number;
  /** Horizontal field of view, degrees; the view is level (pitch 0). */
  hfov: number;
}

/** Per channel, as in the viewer's browser tests (JPEG and texture filtering move colours a little). */
export const TOLERANCE = 28;
/** A sample discriminates when the wrong picture is at least this far from the right colour. */
const DISCRIMINATION = 2 * TOLERANCE;
/** The colour must hold this far around the bearing (degrees, ~5 px here): projections differ by a pixel or two. */
const FLAT_RADIUS = 0.5;
const FLAT_LIMIT = 8;
/** Grid spacing and the border left out: viewers put their buttons along the edges. */
const GRID = 10;
const MARGIN = 80;
/** Hotspots sit on doors: keep this far (degrees of yaw) from them, their DOM covers the canvas. */
const HOTSPOT_CLEARANCE = 12;
export const SAMPLES_PER_SCENE = 40;

const distance = (a: Rgb, b: Rgb): number => Math.max(...a.map((value, index) => Math.abs(value - b[index]!)));

/** The bearing (degrees) of the ray through the centre of CSS pixel (x, y) for a level view at `yaw`. */
export function bearingAt(x: number, y: number, yaw: number, viewport: Viewport): { yaw: number; pitch: number } {
  const scale = Math.tan((viewport.hfov * Math.PI) / 360) / (viewport.width / 2);
  const right = (x + 0.5 - viewport.width / 2) * scale;
  const up = (viewport.height / 2 - (y + 0.5)) * scale;
  const degrees = (radians: number) => (radians * 180) / Math.PI;
  return { yaw: yaw + degrees(Math.atan2(right, 1)), pitch: degrees(Math.atan2(up, Math.hypot(right, 1))) };
}

/** Bilinear lookup in a small RGB equirectangular image (wrapping in yaw), as a GPU or CSS upscale does. */
async function equirectSampler(dataUri: string): Promise<(yaw: number, pitch: number) => Rgb> {
  const { data, info } = await sharp(Buffer.from(dataUri.slice(dataUri.indexOf(',') + 1), 'base64'))
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { width, height } = info;
  const at = (x: number, y: number, channel: number) =>
    data[((Math.min(height - 1, Math.max(0, y)) * width + (((x % width) + width) % width)) * 3) + channel]!;
  return (yaw, pitch) => {
    const u = ((yaw + 180) / 360) * width - 0.5;
    const v = ((90 - pitch) / 180) * height - 0.5;
    const x0 = Math.floor(u);
    const y0 = Math.floor(v);
    const fx = u - x0;
    const fy = v - y0;
    const channel = (c: number) =>
      (at(x0, y0, c) * (1 - fx) + at(x0 + 1, y0, c) * fx) * (1 - fy) + (at(x0, y0 + 1, c) * (1 - fx) + at(x0 + 1, y0 + 1, c) * fx) * fy;
    return [channel(0), channel(1), channel(2)];
  };
}

export interface SceneView {
  room: DemoRoom;
  /** The scene's inline preview (data: URI). */
  inlinePreview: string;
  yaw: number;
}

/**
 * Points of a level view of `scene`, spread over the screen, where `keep`
 * holds: the candidates are the points clear of hotspots whose panorama
 * colour is flat around them (projections differ by a pixel or two).
 */
async function samplesWhere(
  scene: SceneView,
  viewport: Viewport,
  what: string,
  keep: (rgb: Rgb, preview: Rgb, x: number, y: number) => boolean,
): Promise<Sample[]> {
  const preview = await equirectSampler(scene.inlinePreview);
  const candidates: Sample[] = [];
  for (let y = MARGIN; y < viewport.height - MARGIN; y += GRID) {
    for (let x = MARGIN; x < viewport.width - MARGIN; x += GRID) {
      const bearing = bearingAt(x, y, scene.yaw, viewport);
      if (scene.room.doors.some((door) => Math.abs(wrap(bearing.yaw - door.yaw)) < HOTSPOT_CLEARANCE)) continue;
      const rgb = expectedColorAt(scene.room, bearing.yaw, bearing.pitch);
      const flat = [[-1, 0], [1, 0], [0, -1], [0, 1], [-1, -1], [1, 1], [-1, 1], [1, -1]].every(
        ([dy, dp]) => distance(expectedColorAt(scene.room, bearing.yaw + dy! * FLAT_RADIUS, bearing.pitch + dp! * FLAT_RADIUS), rgb) <= FLAT_LIMIT,
      );
      if (flat && keep(rgb, preview(bearing.yaw, bearing.pitch), x, y)) candidates.push({ x, y, rgb: [rgb[0], rgb[1], rgb[2]] });
    }
  }
  if (candidates.length < SAMPLES_PER_SCENE / 2) {
    throw new Error(`only ${candidates.length} screen points ${what} for ${scene.room.id}: the check would be weak`);
  }
  if (candidates.length <= SAMPLES_PER_SCENE) return candidates;
  // Evenly through the candidates (row by row), so the points cover the screen.
  const step = candidates.length / SAMPLES_PER_SCENE;
  return Array.from({ length: SAMPLES_PER_SCENE }, (_, index) => candidates[Math.floor(index * step)]!);
}

/** Points that tell `scene` drawn sharp apart from its preview and from `previous` (the scene on screen before it). */
export function discriminatingSamples(scene: SceneView, previous: SceneView | null, viewport: Viewport): Promise<Sample[]> {
  return samplesWhere(scene, viewport, 'that tell the sharp scene apart', (rgb, preview, x, y) => {
    if (distance(preview, rgb) < DISCRIMINATION) return false;
    if (!previous) return true;
    const before = bearingAt(x, y, previous.yaw, viewport);
    return distance(expectedColorAt(previous.room, before.yaw, before.pitch), rgb) >= DISCRIMINATION;
  });
}

/**
 * Points where any picture of `scene` shows its colour, its 64 px preview as
 * much as the sharp panorama, and no loading screen can: the colour is
 * saturated (far from every grey, black and white).
 */
export function panoramaSamples(scene: SceneView, viewport: Viewport): Promise<Sample[]> {
  return samplesWhere(
    scene,
    viewport,
    'that any picture of the panorama shows',
    (rgb, preview) => distance(preview, rgb) <= TOLERANCE / 2 && Math.max(...rgb) - Math.min(...rgb) >= DISCRIMINATION,
  );
}

const wrap = (degrees: number): number => ((((degrees + 180) % 360) + 360) % 360) - 180;

/** How many samples an RGB(A) pixel reader matches within TOLERANCE. */
export function matching(samples: readonly Sample[], read: (x: number, y: number) => Rgb): number {
  return samples.filter((sample) => distance(read(sample.x, sample.y), sample.rgb) <= TOLERANCE).length;
}
