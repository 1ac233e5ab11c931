import {
  BACK,
  compileRoom,
  EYE_HEIGHT,
  FRONT,
  LABEL_TEXT_COLOR,
  LEFT,
  MARKER_BAND,
  RIGHT,
  type CompiledRoom,
  type Rgb,
  type RoomSpec,
  type WallRect,
} from './room.js';

/**
 * Equirectangular panoramas of demo rooms, computed per pixel from the ray
 * through the pixel's centre: yaw = (x + 0.5) / W * 360 - 180 (0 at the centre
 * column, growing to the right), pitch = 90 - (y + 0.5) / H * 180.
 */

export interface RawImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

/** Surfaces facing the viewer squarely are brightest; grazing ones darken, which shows the corners. */
const AMBIENT = 0.7;
const DIRECT = 0.3;

const MORTAR = 0.02;
const BRICK_COURSE = 0.25;
const BRICK_LENGTH = 0.5;
const PLANK_WIDTH = 0.18;
const PLANK_SEAM = 0.012;
const PANEL_WIDTH = 1.0;
const PANEL_HEIGHT = 0.75;
const PANEL_MOULDING = 0.03;
const FLOOR_GROUT = 0.02;
const CEILING_PANEL = 1.2;
const CEILING_SEAM = 0.03;

/** A stable pseudo-random value in [0, 1) for integer coordinates: per-brick and per-plank variation. */
function hash01(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x27d4eb2d) ^ Math.imul(b, 0x165667b1) ^ Math.imul(c + 1, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

function put(out: Uint8ClampedArray, offset: number, color: Rgb, factor: number): void {
  out[offset] = color[0] * factor;
  out[offset + 1] = color[1] * factor;
  out[offset + 2] = color[2] * factor;
}

/** Brightness of the wall texture at (u, v) relative to the wall colour. */
function wallTexture(room: CompiledRoom, wall: number, u: number, v: number): number {
  switch (room.spec.wallPattern) {
    case 'brick': {
      const course = Math.floor(v / BRICK_COURSE);
      const along = u + (course & 1) * (BRICK_LENGTH / 2);
      const brick = Math.floor(along / BRICK_LENGTH);
      if (along - brick * BRICK_LENGTH < MORTAR || v - course * BRICK_COURSE < MORTAR) return 0.62;
      return 0.86 + 0.22 * hash01(course, brick, wall);
    }
    case 'planks': {
      const plank = Math.floor(u / PLANK_WIDTH);
      if (u - plank * PLANK_WIDTH < PLANK_SEAM) return 0.55;
      const grain = Math.sin(v * 23 + hash01(plank, 0, wall) * 40);
      return 0.84 + 0.18 * hash01(plank, 1, wall) + 0.04 * grain;
    }
    case 'panels': {
      const across = u - Math.floor(u / PANEL_WIDTH) * PANEL_WIDTH;
      const up = v - Math.floor(v / PANEL_HEIGHT) * PANEL_HEIGHT;
      return across < PANEL_MOULDING || up < PANEL_MOULDING ? 0.86 : 1;
    }
  }
}

function paintRect(rect: WallRect, u: number, v: number, out: Uint8ClampedArray, offset: number): void {
  const text = rect.text;
  if (text) {
    const column = Math.floor((u - rect.textLeft) / rect.textPixel);
    const row = Math.floor((rect.textTop - v) / rect.textPixel);
    if (column >= 0 && column < text.columns && row >= 0 && row < text.rows && text.bits[row * text.columns + column]) {
      put(out, offset, LABEL_TEXT_COLOR, 1);
      return;
    }
  }
  const b = rect.border;
  const inFrame = u < rect.u0 + b || u >= rect.u1 - b || v >= rect.v1 - b;
  put(out, offset, inFrame ? rect.borderColor : rect.color, 1);
}

function shadeWall(room: CompiledRoom, wall: number, u: number, v: number, facing: number, out: Uint8ClampedArray, offset: number): void {
  const rects = room.walls[wall]!;
  for (let index = 0; index < rects.length; index += 1) {
    const rect = rects[index]!;
    if (u >= rect.u0 && u < rect.u1 && v >= rect.v0 && v < rect.v1) {
      paintRect(rect, u, v, out, offset);
      return;
    }
  }
  if (v >= MARKER_BAND.bottom && v < MARKER_BAND.top) {
    put(out, offset, room.spec.markerColor, 1);
    return;
  }
  put(out, offset, room.spec.wallColor, wallTexture(room, wall, u, v) * (AMBIENT + DIRECT * facing));
}

function shadeFloor(room: CompiledRoom, dx: number, dy: number, dz: number, out: Uint8ClampedArray, offset: number): void {
  const t = room.floorY / dy;
  const size = room.spec.floorTileSize;
  const x = dx * t;
  const z = dz * t;
  const column = Math.floor(x / size);
  const row = Math.floor(z / size);
  const light = AMBIENT + DIRECT * -dy;
  const colors = room.spec.floorColors;
  if (x - column * size < FLOOR_GROUT || z - row * size < FLOOR_GROUT) put(out, offset, colors[0], 0.5 * light);
  else put(out, offset, colors[(column + row) & 1]!, light);
}

function shadeTop(room: CompiledRoom, dx: number, dy: number, dz: number, out: Uint8ClampedArray, offset: number): void {
  const ceiling = room.spec.ceiling;
  if (ceiling.kind === 'sky') {
    const { horizon, zenith } = ceiling;
    out[offset] = horizon[0] + (zenith[0] - horizon[0]) * dy;
    out[offset + 1] = horizon[1] + (zenith[1] - horizon[1]) * dy;
    out[offset + 2] = horizon[2] + (zenith[2] - horizon[2]) * dy;
    return;
  }
  const t = room.topY / dy;
  const x = dx * t;
  const z = dz * t;
  const seam =
    x - Math.floor(x / CEILING_PANEL) * CEILING_PANEL < CEILING_SEAM ||
    z - Math.floor(z / CEILING_PANEL) * CEILING_PANEL < CEILING_SEAM;
  put(out, offset, ceiling.color, (seam ? 0.85 : 1) * (AMBIENT + DIRECT * dy));
}

/** Writes the colour seen along the unit ray (dx, dy, dz) into out[offset..offset+2]. */
function shadeRay(room: CompiledRoom, dx: number, dy: number, dz: number, out: Uint8ClampedArray, offset: number): void {
  const ax = Math.abs(dx);
  const az = Math.abs(dz);
  const toSide = ax > 0 ? room.halfWidth / ax : Infinity;
  const toEnd = az > 0 ? room.halfDepth / az : Infinity;
  const t = toSide < toEnd ? toSide : toEnd;
  const y = dy * t;
  if (y < room.floorY) return shadeFloor(room, dx, dy, dz, out, offset);
  if (y > room.topY) return shadeTop(room, dx, dy, dz, out, offset);
  const v = y + EYE_HEIGHT;
  if (toSide < toEnd) {
    if (dx > 0) shadeWall(room, RIGHT, -dz * t, v, ax, out, offset);
    else shadeWall(room, LEFT, dz * t, v, ax, out, offset);
  } else if (dz > 0) shadeWall(room, FRONT, dx * t, v, az, out, offset);
  else shadeWall(room, BACK, -dx * t, v, az, out, offset);
}

/** Renders the room as a width x width/2 RGB equirectangular image. */
export function renderRoom(spec: RoomSpec, width: number): RawImage {
  if (!Number.isInteger(width) || width < 8 || width % 2 !== 0) {
    throw new RangeError(`panorama width must be an even integer of at least 8, got ${width}`);
  }
  const room = compileRoom(spec);
  const height = width / 2;
  const data = new Uint8Array(width * height * 3);
  // A clamped view rounds and clamps shaded values to bytes without a branch per channel.
  const out = new Uint8ClampedArray(data.buffer);
  const sinYaw = new Float64Array(width);
  const cosYaw = new Float64Array(width);
  for (let x = 0; x < width; x += 1) {
    const yaw = (((x + 0.5) / width) * 2 - 1) * Math.PI;
    sinYaw[x] = Math.sin(yaw);
    cosYaw[x] = Math.cos(yaw);
  }
  for (let y = 0; y < height; y += 1) {
    const pitch = (0.5 - (y + 0.5) / height) * Math.PI;
    const sinPitch = Math.sin(pitch);
    const cosPitch = Math.cos(pitch);
    let offset = y * width * 3;
    for (let x = 0; x < width; x += 1) {
      shadeRay(room, sinYaw[x]! * cosPitch, sinPitch, cosYaw[x]! * cosPitch, out, offset);
      offset += 3;
    }
  }
  return { data, width, height, channels: 3 };
}

/** The colour the renderer gives the ray at (yaw, pitch) in degrees: what a viewer should show there. */
export function expectedColorAt(spec: RoomSpec, yaw: number, pitch: number): Rgb {
  const yawRadians = (yaw * Math.PI) / 180;
  const pitchRadians = (pitch * Math.PI) / 180;
  const out = new Uint8ClampedArray(3);
  const cosPitch = Math.cos(pitchRadians);
  shadeRay(compileRoom(spec), Math.sin(yawRadians) * cosPitch, Math.sin(pitchRadians), Math.cos(yawRadians) * cosPitch, out, 0);
  return [out[0]!, out[1]!, out[2]!];
}
