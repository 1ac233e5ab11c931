import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TOUR_LIMITS } from '@vr-tour/protocol';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_AUDIO, DEMO_VIDEO } from '../src/demo-media.js';
import { DEMO_ROOMS } from '../src/demo-tour.js';
import { generateDemoAssets, INLINE_PREVIEW_WIDTH, LEVEL_WIDTHS, PREVIEW_WIDTH, THUMBNAIL_WIDTH, type DemoAssets } from '../src/generate.js';
import { doorView } from '../src/room.js';

let outDir: string;
let assets: DemoAssets;
let firstRunMs: number;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-demo-assets-'));
  const started = performance.now();
  assets = await generateDemoAssets(outDir);
  firstRunMs = performance.now() - started;
});

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function mtimes(): Promise<Record<string, number>> {
  const names = await readdir(outDir);
  const entries = await Promise.all(names.map(async (name) => [name, (await stat(path.join(outDir, name))).mtimeMs] as const));
  return Object.fromEntries(entries);
}

/** Walks EBML elements, descending into the master elements a VP8 WebM reader needs. */
function ebmlElements(data: Buffer, start = 0, end = data.length): Array<{ id: number; body: Buffer }> {
  const masters = new Set([0x18538067, 0x1654ae6b, 0xae, 0xe0, 0x1f43b675, 0x1a45dfa3, 0x1549a966]);
  const found: Array<{ id: number; body: Buffer }> = [];
  const vint = (offset: number, keepMarker: boolean): { value: number; length: number } => {
    const first = data[offset]!;
    const length = Math.clz32(first) - 23;
    let value = keepMarker ? first : first & (0xff >> length);
    for (let index = 1; index < length; index += 1) value = value * 256 + data[offset + index]!;
    return { value, length };
  };
  let offset = start;
  while (offset < end) {
    const id = vint(offset, true);
    const size = vint(offset + id.length, false);
    const bodyStart = offset + id.length + size.length;
    const body = data.subarray(bodyStart, bodyStart + size.value);
    found.push({ id: id.value, body });
    if (masters.has(id.value)) found.push(...ebmlElements(data, bodyStart, bodyStart + size.value));
    offset = bodyStart + size.value;
  }
  return found;
}

describe('generateDemoAssets', () => {
  it('writes every scene image at its size, 2:1, as JPEG', async () => {
    for (const room of DEMO_ROOMS) {
      const scene = assets.scenes[room.id];
      const images = [...scene.levels, scene.preview, scene.thumbnail];
      expect(scene.levels.map((level) => level.width)).toEqual([...LEVEL_WIDTHS]);
      expect(scene.preview.width).toBe(PREVIEW_WIDTH);
      expect(scene.thumbnail).toMatchObject({ width: THUMBNAIL_WIDTH, height: THUMBNAIL_WIDTH / 2 });
      for (const image of images) {
        const file = path.join(outDir, image.path);
        const metadata = await sharp(file).metadata();
        expect(metadata).toMatchObject({ format: 'jpeg', width: image.width, height: image.height });
        expect(metadata.width).toBe(2 * metadata.height);
        expect((await stat(file)).size).toBe(image.bytes);
        expect(image.path).toContain(image.sha256.slice(0, 12));
      }
    }
  });

  it('keeps the doors where the tour says they are in the encoded panoramas', async () => {
    for (const room of DEMO_ROOMS) {
      const level = assets.scenes[room.id].levels[0]!;
      const { data, info } = await sharp(path.join(outDir, level.path)).raw().toBuffer({ resolveWithObject: true });
      for (const door of room.doors) {
        const { yaw, pitch } = doorView(room, door);
        const x = Math.floor(((yaw + 180) / 360) * info.width);
        const y = Math.floor(((90 - pitch) / 180) * info.height);
        const offset = (y * info.width + x) * info.channels;
        const seen = [data[offset]!, data[offset + 1]!, data[offset + 2]!];
        seen.forEach((channel, index) => expect(Math.abs(channel - door.color[index]!)).toBeLessThanOrEqual(12));
      }
    }
  });

  it('makes a tiny inline preview within the tour document limit', async () => {
    for (const room of DEMO_ROOMS) {
      const { inlinePreview } = assets.scenes[room.id];
      expect(inlinePreview.length).toBeLessThan(TOUR_LIMITS.inlinePreviewLength);
      expect(inlinePreview).toMatch(/^data:image\/jpeg;base64,[A-Za-z0-9+/=]+$/);
      const jpeg = Buffer.from(inlinePreview.slice(inlinePreview.indexOf(',') + 1), 'base64');
      expect(await sharp(jpeg).metadata()).toMatchObject({ format: 'jpeg', width: INLINE_PREVIEW_WIDTH, height: INLINE_PREVIEW_WIDTH / 2 });
    }
  });

  it('writes a one-second 16-bit mono WAV chime', async () => {
    const wav = await readFile(path.join(outDir, assets.audio.path));
    expect(wav.toString('ascii', 0, 4)).toBe('RIFF');
    expect(wav.toString('ascii', 8, 16)).toBe('WAVEfmt ');
    expect(wav.readUInt16LE(20)).toBe(1);
    expect(wav.readUInt16LE(22)).toBe(1);
    expect(wav.readUInt32LE(24)).toBe(DEMO_AUDIO.sampleRate);
    expect(wav.readUInt16LE(34)).toBe(16);
    expect(wav.readUInt32LE(40)).toBe(DEMO_AUDIO.sampleRate * DEMO_AUDIO.seconds * 2);
    const samples = Array.from({ length: wav.readUInt32LE(40) / 2 }, (_, index) => wav.readInt16LE(44 + index * 2));
    const peak = Math.max(...samples.map(Math.abs));
    expect(peak).toBeGreaterThan(8_000);
    expect(peak).toBeLessThan(32_767);
    // Starts and ends silent, so playing it does not click.
    expect(Math.abs(samples[0]!)).toBeLessThan(100);
    expect(Math.abs(samples.at(-1)!)).toBeLessThan(100);
    expect(assets.audio.contentType).toBe('audio/wav');
  });

  it('writes a WebM of VP8 key frames with the declared size, and its poster', async () => {
    const webm = await readFile(path.join(outDir, assets.video.path));
    const elements = ebmlElements(webm);
    const text = (id: number) => elements.find((element) => element.id === id)?.body.toString('ascii');
    expect(webm.readUInt32BE(0)).toBe(0x1a45dfa3);
    expect(text(0x4282)).toBe('webm');
    expect(text(0x86)).toBe('V_VP8');
    expect(elements.find((element) => element.id === 0x4489)!.body.readDoubleBE(0)).toBe(DEMO_VIDEO.seconds * 1000);
    const blocks = elements.filter((element) => element.id === 0xa3);
    expect(blocks).toHaveLength(DEMO_VIDEO.framesPerSecond * DEMO_VIDEO.seconds);
    const timecodes = blocks.map((block) => block.body.readInt16BE(1));
    expect(timecodes).toEqual(timecodes.map((_, index) => (index * 1000) / DEMO_VIDEO.framesPerSecond));
    for (const block of blocks) {
      const frame = block.body.subarray(4);
      expect(frame[0]! & 1).toBe(0); // key frame
      expect([...frame.subarray(3, 6)]).toEqual([0x9d, 0x01, 0x2a]);
      expect(frame.readUInt16LE(6) & 0x3fff).toBe(DEMO_VIDEO.width);
      expect(frame.readUInt16LE(8) & 0x3fff).toBe(DEMO_VIDEO.height);
    }
    expect(new Set(blocks.map((block) => block.body.toString('base64'))).size).toBe(blocks.length);
    expect(await sharp(path.join(outDir, assets.videoPoster.path)).metadata()).toMatchObject({
      format: 'jpeg',
      width: DEMO_VIDEO.width,
      height: DEMO_VIDEO.height,
    });
  });

  it('records what it made in a manifest', async () => {
    const manifest = JSON.parse(await readFile(path.join(outDir, 'manifest.json'), 'utf8'));
    expect(manifest).toEqual(assets);
  });

  it('is idempotent: a second run rewrites nothing and returns the same manifest', async () => {
    const before = await mtimes();
    const started = performance.now();
    const again = await generateDemoAssets(outDir);
    expect(performance.now() - started).toBeLessThan(firstRunMs / 4);
    expect(again).toEqual(assets);
    expect(await mtimes()).toEqual(before);
  });

  it('remakes a missing file, byte for byte, and leaves the others alone', async () => {
    const missing = assets.scenes.garden.levels[1]!;
    await rm(path.join(outDir, missing.path));
    const before = await mtimes();
    const again = await generateDemoAssets(outDir);
    expect(again).toEqual(assets);
    const after = await mtimes();
    expect(after[missing.path]).toBeDefined();
    for (const [name, mtime] of Object.entries(before)) {
      if (name !== 'manifest.json') expect(after[name]).toBe(mtime);
    }
  });
});
