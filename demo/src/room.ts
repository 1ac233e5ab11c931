import { textBitmap, type TextBitmap } from './glyphs.js';

/**
 * A demo room is a box seen from its centre, at eye height. Coordinates are
 * metres: x to the right at yaw 0, y up from the eye, z ahead at yaw 0; so a
 * ray at (yaw, pitch) points along (sin yaw cos pitch, sin pitch, cos yaw cos pitch).
 */

export type Rgb = readonly [number, number, number];

export type WallPattern = 'brick' | 'planks' | 'panels';

export type CeilingSpec =
  | { kind: 'plain'; color: Rgb }
  /** Open to the sky above the walls (a courtyard): a gradient from horizon to zenith. */
  | { kind: 'sky'; horizon: Rgb; zenith: Rgb };

/** A door in a wall: its centre is where the horizontal ray at `yaw` meets the wall. */
export interface DoorSpec {
  yaw: number;
  /** Painted above the door, usually the name of the room behind it. */
  label: string;
  color: Rgb;
}

export interface RoomSpec {
  id: string;
  name: string;
  /** Metres along x. */
  width: number;
  /** Metres along z. */
  depth: number;
  /** Floor to ceiling, or to the top of the walls under a sky. */
  height: number;
  wallColor: Rgb;
  wallPattern: WallPattern;
  /** A flat band around every wall at eye level: the colour that tells rooms apart. */
  markerColor: Rgb;
  floorColors: readonly [Rgb, Rgb];
  floorTileSize: number;
  ceiling: CeilingSpec;
  doors: readonly DoorSpec[];
}

export const EYE_HEIGHT = 1.6;
export const DOOR_WIDTH = 1.2;
export const DOOR_HEIGHT = 2.2;
/** Heights above the floor; the band straddles eye level so a level view always crosses it. */
export const MARKER_BAND = { bottom: 1.1, top: 2.0 } as const;
export const LABEL_TEXT_COLOR: Rgb = [255, 255, 255];

const DOOR_FRAME = 0.07;
const DOOR_FRAME_SHADE = 0.6;
const LABEL_PIXEL = 0.06;
const LABEL_PADDING = 0.08;
const LABEL_GAP_ABOVE_DOOR = 0.12;
/** Keeps doors and labels off the corners, where they would fold onto the next wall. */
const CORNER_MARGIN = 0.1;

/** Walls in bearing order: ahead at yaw 0, right, behind, left. */
const WALLS = ['front', 'right', 'back', 'left'] as const;
export const FRONT = 0;
export const RIGHT = 1;
export const BACK = 2;
export const LEFT = 3;

/**
 * A flat rectangle on a wall in wall coordinates: u runs to the right as seen
 * from the centre facing that wall (so text reads left to right), v is height above the floor.
 */
export interface WallRect {
  u0: number;
  u1: number;
  v0: number;
  v1: number;
  color: Rgb;
  border: number;
  borderColor: Rgb;
  text: TextBitmap | null;
  textLeft: number;
  textTop: number;
  /** Size of one font pixel on the wall. */
  textPixel: number;
}

/** A room reduced to the numbers the per-ray shader reads. */
export interface CompiledRoom {
  spec: RoomSpec;
  halfWidth: number;
  halfDepth: number;
  /** y of the floor and of the ceiling (or wall tops) relative to the eye. */
  floorY: number;
  topY: number;
  /** Indexed by FRONT, RIGHT, BACK, LEFT. */
  walls: WallRect[][];
}

export interface WallPoint {
  wall: number;
  /** Horizontal distance from the centre to the wall along the ray. */
  distance: number;
  u: number;
}

/** Where a horizontal ray at `yaw` degrees meets the walls of a box of the given half sizes. */
export function wallPointAt(halfWidth: number, halfDepth: number, yaw: number): WallPoint {
  const radians = (yaw * Math.PI) / 180;
  const dx = Math.sin(radians);
  const dz = Math.cos(radians);
  const toSide = Math.abs(dx) > 0 ? halfWidth / Math.abs(dx) : Infinity;
  const toEnd = Math.abs(dz) > 0 ? halfDepth / Math.abs(dz) : Infinity;
  if (toSide < toEnd) {
    return dx > 0
      ? { wall: RIGHT, distance: toSide, u: -dz * toSide }
      : { wall: LEFT, distance: toSide, u: dz * toSide };
  }
  return dz > 0 ? { wall: FRONT, distance: toEnd, u: dx * toEnd } : { wall: BACK, distance: toEnd, u: -dx * toEnd };
}

export interface DoorView {
  yaw: number;
  /** Pitch of the middle of the door, where a navigation hotspot belongs. */
  pitch: number;
  distance: number;
  /** Pitches of the door's top and bottom edges straight ahead at its bearing. */
  topPitch: number;
  bottomPitch: number;
  /** Yaw from the centre line to the nearer side edge (on a wall seen at a slant the sides differ). */
  halfWidthYaw: number;
}

const degrees = (radians: number): number => (radians * 180) / Math.PI;
const normalizeDegrees = (angle: number): number => ((((angle + 180) % 360) + 360) % 360) - 180;

/** The floor-plan point (x, z) of position u along a wall: the inverse of `wallPointAt`'s u. */
function wallToFloor(room: RoomSpec, wall: number, u: number): [number, number] {
  const halfWidth = room.width / 2;
  const halfDepth = room.depth / 2;
  switch (wall) {
    case FRONT:
      return [u, halfDepth];
    case RIGHT:
      return [halfWidth, -u];
    case BACK:
      return [-u, -halfDepth];
    default:
      return [-halfWidth, u];
  }
}

/** How a door appears from the room's centre (angles in degrees). */
export function doorView(room: RoomSpec, door: DoorSpec): DoorView {
  const { wall, distance, u } = wallPointAt(room.width / 2, room.depth / 2, door.yaw);
  const edgeYaws = [u - DOOR_WIDTH / 2, u + DOOR_WIDTH / 2].map((edge) => {
    const [x, z] = wallToFloor(room, wall, edge);
    return degrees(Math.atan2(x, z));
  });
  return {
    yaw: door.yaw,
    pitch: degrees(Math.atan2(DOOR_HEIGHT / 2 - EYE_HEIGHT, distance)),
    distance,
    topPitch: degrees(Math.atan2(DOOR_HEIGHT - EYE_HEIGHT, distance)),
    bottomPitch: degrees(Math.atan2(-EYE_HEIGHT, distance)),
    halfWidthYaw: Math.min(...edgeYaws.map((edge) => Math.abs(normalizeDegrees(edge - door.yaw)))),
  };
}

function shade(color: Rgb, factor: number): Rgb {
  return [color[0] * factor, color[1] * factor, color[2] * factor];
}

function doorRects(door: DoorSpec, u: number): WallRect[] {
  const text = textBitmap(door.label);
  const textWidth = text.columns * LABEL_PIXEL;
  const plateBottom = DOOR_HEIGHT + LABEL_GAP_ABOVE_DOOR;
  const plateTop = plateBottom + text.rows * LABEL_PIXEL + 2 * LABEL_PADDING;
  return [
    {
      u0: u - DOOR_WIDTH / 2,
      u1: u + DOOR_WIDTH / 2,
      v0: 0,
      v1: DOOR_HEIGHT,
      color: door.color,
      border: DOOR_FRAME,
      borderColor: shade(door.color, DOOR_FRAME_SHADE),
      text: null,
      textLeft: 0,
      textTop: 0,
      textPixel: 0,
    },
    {
      u0: u - textWidth / 2 - LABEL_PADDING,
      u1: u + textWidth / 2 + LABEL_PADDING,
      v0: plateBottom,
      v1: plateTop,
      color: door.color,
      border: 0,
      borderColor: door.color,
      text,
      textLeft: u - textWidth / 2,
      textTop: plateTop - LABEL_PADDING,
      textPixel: LABEL_PIXEL,
    },
  ];
}

/** Checks the room's geometry (doors on one wall, under the ceiling, apart) and precomputes it. */
export function compileRoom(spec: RoomSpec): CompiledRoom {
  const halfWidth = spec.width / 2;
  const halfDepth = spec.depth / 2;
  const walls: WallRect[][] = WALLS.map(() => []);
  for (const door of spec.doors) {
    const { wall, u } = wallPointAt(halfWidth, halfDepth, door.yaw);
    const halfLength = wall === FRONT || wall === BACK ? halfWidth : halfDepth;
    for (const rect of doorRects(door, u)) {
      if (rect.u0 < -halfLength + CORNER_MARGIN || rect.u1 > halfLength - CORNER_MARGIN || rect.v1 > spec.height) {
        throw new Error(`room ${spec.id}: the door at yaw ${door.yaw} does not fit on the ${WALLS[wall]} wall`);
      }
      const overlapping = walls[wall]!.find(
        (other) => rect.u0 < other.u1 && other.u0 < rect.u1 && rect.v0 < other.v1 && other.v0 < rect.v1,
      );
      if (overlapping) throw new Error(`room ${spec.id}: the door at yaw ${door.yaw} overlaps another door`);
      walls[wall]!.push(rect);
    }
  }
  return { spec, halfWidth, halfDepth, floorY: -EYE_HEIGHT, topY: spec.height - EYE_HEIGHT, walls };
}
