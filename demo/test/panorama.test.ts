import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEMO_ROOMS } from '../src/demo-tour.js';
import { expectedColorAt, renderRoom } from '../src/panorama.js';
import { DOOR_HEIGHT, EYE_HEIGHT, LABEL_TEXT_COLOR, doorView, type Rgb, type RoomSpec } from '../src/room.js';

const sha256 = (data: Uint8Array): string => createHash('sha256').update(data).digest('hex');

function pixelAt(image: { data: Uint8Array; width: number; height: number }, yaw: number, pitch: number): Rgb {
  const x = Math.floor(((yaw + 180) / 360) * image.width);
  const y = Math.floor(((90 - pitch) / 180) * image.height);
  const offset = (y * image.width + x) * 3;
  return [image.data[offset]!, image.data[offset + 1]!, image.data[offset + 2]!];
}

/** Sum of per-channel differences: how far apart two colours are. */
const distance = (a: Rgb, b: Rgb): number => Math.abs(a[0] - b[0]) + Math.abs(a[1] - b[1]) + Math.abs(a[2] - b[2]);

const lobby = DEMO_ROOMS[0]!;

describe('renderRoom', () => {
  it('is deterministic: the same room renders to the same bytes twice', () => {
    const first = renderRoom(lobby, 1024);
    const second = renderRoom(lobby, 1024);
    expect(sha256(first.data)).toBe(sha256(second.data));
  });

  it('renders different rooms differently', () => {
    const hashes = DEMO_ROOMS.map((room) => sha256(renderRoom(room, 256).data));
    expect(new Set(hashes).size).toBe(DEMO_ROOMS.length);
  });

  it('makes a 2:1 RGB image of the requested width', () => {
    const image = renderRoom(lobby, 512);
    expect(image).toMatchObject({ width: 512, height: 256, channels: 3 });
    expect(image.data.length).toBe(512 * 256 * 3);
  });

  it('rejects widths that cannot make a 2:1 image', () => {
    expect(() => renderRoom(lobby, 511)).toThrow(RangeError);
    expect(() => renderRoom(lobby, 0)).toThrow(RangeError);
  });

  it('renders 4096 x 2048 in a few seconds', () => {
    const started = performance.now();
    renderRoom(lobby, 4096);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('puts each pixel where expectedColorAt says (yaw 0 at the centre column, positive yaw to the right)', () => {
    for (const room of DEMO_ROOMS) {
      const image = renderRoom(room, 2048);
      for (const door of room.doors) {
        const { yaw, pitch } = doorView(room, door);
        expect(pixelAt(image, yaw, pitch)).toEqual(door.color);
      }
      for (const [yaw, pitch] of [
        [0, 0],
        [45, -30],
        [-100, 60],
        [170, -80],
      ] as const) {
        // A pixel centre is within half a pixel of the asked angles; texture edges aside, colours agree.
        expect(distance(pixelAt(image, yaw, pitch), expectedColorAt(room, yaw, pitch))).toBeLessThan(40);
      }
    }
  });
});

describe('expectedColorAt', () => {
  it('is the door colour at the middle of every door', () => {
    for (const room of DEMO_ROOMS) {
      for (const door of room.doors) {
        const view = doorView(room, door);
        expect(expectedColorAt(room, view.yaw, view.pitch)).toEqual(door.color);
        // Near the edges of the door (inside its frame) it is still the door colour.
        expect(expectedColorAt(room, view.yaw + view.halfWidthYaw * 0.8, view.pitch)).toEqual(door.color);
        expect(expectedColorAt(room, view.yaw, view.bottomPitch * 0.9)).toEqual(door.color);
      }
    }
  });

  it('paints every door in a colour far from every wall and marker colour, and no two doors alike', () => {
    const surfaces = DEMO_ROOMS.flatMap((room) => [room.wallColor, room.markerColor]);
    const doors = DEMO_ROOMS.flatMap((room) => room.doors.map((door) => door.color));
    for (const door of doors) {
      for (const surface of surfaces) expect(distance(door, surface)).toBeGreaterThan(90);
    }
    for (const [index, door] of doors.entries()) {
      for (const other of doors.slice(index + 1)) expect(distance(door, other)).toBeGreaterThan(90);
    }
  });

  it('shows the room marker colour at eye level away from the doors, distinct per room', () => {
    const markers = DEMO_ROOMS.map((room) => {
      const awayFromDoors = [-30, 60, 135].filter((yaw) =>
        room.doors.every((door) => Math.abs(door.yaw - yaw) > doorView(room, door).halfWidthYaw + 5),
      );
      expect(awayFromDoors.length).toBeGreaterThan(0);
      for (const yaw of awayFromDoors) expect(expectedColorAt(room, yaw, 0)).toEqual(room.markerColor);
      return room.markerColor;
    });
    for (const [index, marker] of markers.entries()) {
      for (const other of markers.slice(index + 1)) expect(distance(marker, other)).toBeGreaterThan(90);
    }
  });

  it('shows a textured wall, a tiled floor and a ceiling or sky', () => {
    for (const room of DEMO_ROOMS) {
      // Wall below the marker band, straight ahead: varies along the wall (planks, bricks or panels).
      const wallPitch = (Math.atan2(0.6 - EYE_HEIGHT, room.depth / 2) * 180) / Math.PI;
      const wall = Array.from({ length: 40 }, (_, step) => expectedColorAt(room, -20 + step, wallPitch).join());
      expect(new Set(wall).size).toBeGreaterThan(1);
      const floor = Array.from({ length: 40 }, (_, step) => expectedColorAt(room, -20 + step, -60).join());
      expect(new Set(floor).size).toBeGreaterThan(1);
      const up = expectedColorAt(room, 17, 75);
      const ceiling = room.ceiling.kind === 'sky' ? room.ceiling.zenith : room.ceiling.color;
      expect(distance(up, ceiling)).toBeLessThan(60);
    }
  });

  it('writes the target room name above each door in white on the door colour', () => {
    for (const room of DEMO_ROOMS) {
      for (const door of room.doors) {
        const view = doorView(room, door);
        // The label plate sits just above the door: sample across its text rows.
        const colors = new Set<string>();
        for (const lift of [0.25, 0.3, 0.35, 0.4, 0.45]) {
          const pitch = (Math.atan2(DOOR_HEIGHT + lift - EYE_HEIGHT, view.distance) * 180) / Math.PI;
          for (let step = -60; step <= 60; step += 1) {
            colors.add(expectedColorAt(room, view.yaw + (step / 60) * view.halfWidthYaw, pitch).join());
          }
        }
        expect(colors).toContain(LABEL_TEXT_COLOR.join());
        expect(colors).toContain(door.color.join());
      }
    }
  });
});

describe('room geometry checks', () => {
  const base: RoomSpec = { ...lobby, doors: [] };

  it('refuses a door that would fold round a corner', () => {
    // The lobby's front-right corner is at yaw atan(4 / 3) = 53.13 degrees.
    expect(() => renderRoom({ ...base, doors: [{ yaw: 53, label: 'X', color: [0, 0, 0] }] }, 64)).toThrow(/does not fit/);
  });

  it('refuses overlapping doors and labels the font cannot draw', () => {
    const door = { label: 'A', color: [0, 0, 0] as const };
    expect(() => renderRoom({ ...base, doors: [{ ...door, yaw: 0 }, { ...door, yaw: 5 }] }, 64)).toThrow(/overlaps/);
    expect(() => renderRoom({ ...base, doors: [{ ...door, yaw: 0, label: 'Café' }] }, 64)).toThrow(/no glyph/);
  });
});
