import { VrTourElement } from '../../src/vr-tour.js';
import { sharedContext } from '../../src/renderer/context.js';
import { rendererContext, sharedRenderer } from '../../src/renderer/renderer.js';
import { closeColor, colorDistance, equal, ok, type Rgb } from '../helpers/assert.js';
import { cleanup, expectedColor, frames, mount, nextEvent, pixel, rooms, sleep, xForYaw } from '../helpers/fixture.js';

const TOLERANCE = 28;

/** True when the panorama is one flat colour around (yaw, pitch): JPEG and filtering cannot move it. */
async function flat(room: string, yaw: number, pitch: number): Promise<boolean> {
  const centre = await expectedColor(room, yaw, pitch);
  for (const [dy, dp] of [[-2, 0], [2, 0], [0, -2], [0, 2]] as const) {
    if (colorDistance(await expectedColor(room, yaw + dy, pitch + dp), centre) > 6) return false;
  }
  return true;
}

describe('renderer: pixels', () => {
  afterEach(cleanup);

  it('shows at each screen position the colour the panorama has at that bearing', async () => {
    const element = mount({ src: '/fixtures/tour.json', yaw: '0', pitch: '0', fov: '90' }, 400, 300);
    await nextEvent(element, 'load');
    let checked = 0;
    for (const base of [0, 90, -150]) {
      element.lookAt(base, 0, 90);
      await frames(2);
      for (const delta of [-35, -20, 0, 20, 35]) {
        const yaw = base + delta;
        if (!(await flat('lobby', yaw, 0))) continue;
        const actual = await pixel(element, xForYaw(element, delta, 90), 150);
        closeColor(actual, await expectedColor('lobby', yaw, 0), TOLERANCE, `yaw ${yaw}:`);
        checked += 1;
      }
    }
    ok(checked >= 8, `only ${checked} flat sample points`);
  });

  it('after lookAt the centre pixel changes to the colour at the new bearing', async () => {
    const { rooms: all } = await rooms();
    const lobby = all.find((room) => room.id === 'lobby')!;
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const before = await pixel(element, 200, 150);
    closeColor(before, await expectedColor('lobby', 0, 0), TOLERANCE, 'at yaw 0:');
    for (const door of lobby.doors) {
      element.lookAt(door.yaw, 0, 60);
      await frames(2);
      const expected = await expectedColor('lobby', door.yaw, 0);
      ok(colorDistance(expected, before) > 60, 'the door must differ from the wall');
      closeColor(await pixel(element, 200, 150), expected, TOLERANCE, `door at ${door.yaw}:`);
    }
    // Looking up: positive pitch is up.
    element.lookAt(0, 60, 90);
    await frames(2);
    closeColor(await pixel(element, 200, 150), await expectedColor('lobby', 0, 60), TOLERANCE, 'pitch 60:');
  });

  it('draws nothing while idle: zero frames and zero requestAnimationFrame calls in a second', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    // The lobby's two neighbours preload, one upload per frame: idle starts once all three textures are live.
    for (let tries = 0; tries < 200 && VrTourElement.rendererStats()!.textures < 3; tries += 1) await sleep(50);
    equal(VrTourElement.rendererStats()!.textures, 3, 'lobby and its two neighbours:');
    const original = window.requestAnimationFrame;
    let calls = 0;
    window.requestAnimationFrame = (callback) => ((calls += 1), original.call(window, callback));
    try {
      const start = VrTourElement.rendererStats()!.frames;
      await sleep(1000);
      equal(calls, 0, 'rAF calls while idle:');
      equal(VrTourElement.rendererStats()!.frames - start, 0, 'frames while idle:');
      // The counters do count: one change, at least one frame.
      element.lookAt(10);
      await sleep(100);
      ok(calls >= 1 && VrTourElement.rendererStats()!.frames > start, 'a change must draw a frame');
    } finally {
      window.requestAnimationFrame = original;
    }
  });

  it('keeps live textures bounded over 20 scene switches', async () => {
    const { rooms: all } = await rooms();
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    element.preloadBudget = 0; // only the current scene is kept
    await nextEvent(element, 'load');
    const baseline = VrTourElement.rendererStats()!.textures;
    let peak = 0;
    for (let index = 1; index <= 20; index += 1) {
      const room = all[index % all.length]!;
      await element.goTo(room.sceneId);
      await frames(2);
      peak = Math.max(peak, VrTourElement.rendererStats()!.textures);
      equal(element.sceneId, room.sceneId);
    }
    ok(peak <= baseline + 1, `textures peaked at ${peak} (started with ${baseline})`);
    equal(VrTourElement.rendererStats()!.textures, 1, 'textures after the last switch:');
    // The last scene is drawn sharp.
    const last = all[20 % all.length]!;
    closeColor(await pixel(element, 200, 150), await expectedColor(last.id, 0, 0), TOLERANCE, 'last scene:');
  });

  it('uploads at most one big texture per frame', async () => {
    const renderer = sharedRenderer(sharedContext()!);
    const uploadFrames: number[] = [];
    const proto = WebGL2RenderingContext.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
    const originals = { texImage2D: proto.texImage2D!, texSubImage2D: proto.texSubImage2D! };
    for (const [name, original] of Object.entries(originals)) {
      proto[name] = function (this: WebGL2RenderingContext, ...args: unknown[]) {
        const source = args[args.length - 1];
        if (source instanceof ImageBitmap && source.width >= 512) uploadFrames.push(renderer.stats().frames);
        return original.apply(this, args);
      };
    }
    try {
      // Four panoramas decoded at once, as when the neighbours of a scene finish loading together.
      const bitmaps = await Promise.all([0, 1, 2, 3].map(() => createImageBitmap(new ImageData(1024, 512))));
      const textures = await Promise.all(bitmaps.map((bitmap) => renderer.upload(bitmap)));
      equal(uploadFrames.length, 4, 'uploads:');
      equal(new Set(uploadFrames).size, 4, `one per frame (frames ${uploadFrames.join(', ')}):`);
      textures.forEach((texture) => texture.dispose());
    } finally {
      Object.assign(proto, originals);
    }
  });

  it('reports a lost context in the element, and draws again once it is restored', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const lose = rendererContext()!.getExtension('WEBGL_lose_context')!;
    const error = nextEvent<CustomEvent>(element, 'error');
    lose.loseContext();
    equal((await error).detail.reason, 'context-lost');
    await element.updateComplete;
    ok(element.shadowRoot!.querySelector('[part=error]'), 'an error message is shown');
    await sleep(50); // Chrome allows a restore once the lost event was handled
    const restored = nextEvent(rendererContext()!.canvas, 'webglcontextrestored');
    const framesBefore = VrTourElement.rendererStats()!.frames;
    lose.restoreContext();
    await restored;
    await sleep(200);
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('[part=error]'), null, 'message gone');
    ok(VrTourElement.rendererStats()!.frames > framesBefore, 'drawn again after the restore');
    closeColor(await pixel(element, 200, 150), await expectedColor('lobby', 0, 0), TOLERANCE, 'after restore:');
  });
});

export type { Rgb };
