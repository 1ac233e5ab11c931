// The first test needs a page where the renderer has not loaded yet: this file must not share a page.
import { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, frames, mount, nextEvent, pixel, rooms, sleep } from '../helpers/fixture.js';

performance.setResourceTimingBufferSize(10_000);
const panoramas = () =>
  performance
    .getEntriesByType('resource')
    .map((entry) => /\/fixtures\/pano\/([a-z]+-\d+)\.jpg/.exec(entry.name)?.[1])
    .filter((name): name is string => !!name);

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let tries = 0; tries < 200 && !condition(); tries += 1) await sleep(50);
  ok(condition(), what);
}

describe('loading: levels, decoding, preloading', () => {
  afterEach(cleanup);

  it('takes the level that the screen needs up to MAX_TEXTURE_SIZE, decoding with createImageBitmap', async () => {
    const max = (document.createElement('canvas').getContext('webgl2')!.getParameter(WebGL2RenderingContext.MAX_TEXTURE_SIZE) as number);
    const decoded: string[] = [];
    const createImageBitmap = window.createImageBitmap;
    window.createImageBitmap = ((source: ImageBitmapSource, ...rest: unknown[]) => {
      decoded.push(source instanceof Blob ? `blob ${source.type}` : source.constructor.name);
      return (createImageBitmap as (...args: unknown[]) => Promise<ImageBitmap>)(source, ...rest);
    }) as typeof createImageBitmap;
    try {
      // 400 CSS px at fov 10 needs a 14,400 px panorama: the level of exactly MAX_TEXTURE_SIZE is the best that fits.
      // Before the renderer has loaded the limit is unknown; the element must not settle for 4096 then.
      const src = `/fixtures/tour.json?levels=1024,2048,${max},${max * 2}`;
      const element = mount({ src, fov: '10' }, 400, 300);
      await nextEvent(element, 'load', 40000);
      const lobby = panoramas().filter((name) => name.startsWith('lobby-'));
      equal(lobby.join(), `lobby-${max}`, 'lobby levels fetched:');
      ok(decoded.includes('blob image/jpeg'), `decoded off the main thread from the response blob (${decoded})`);
    } finally {
      window.createImageBitmap = createImageBitmap;
    }
  });

  it('preloads the neighbouring scenes while they fit the byte budget', async () => {
    const { rooms: all } = await rooms();
    const lobby = all.find((room) => room.id === 'lobby')!;
    const [first, second] = lobby.doors.map((door) => door.target);
    performance.clearResourceTimings();
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    element.preloadBudget = 2048 * 1024 * 4; // one 2048 px panorama
    await nextEvent(element, 'load');
    await until(() => panoramas().includes(`${first}-2048`), `the nearest neighbour (${first}) preloads`);
    await sleep(500);
    equal(panoramas().filter((name) => name.startsWith(`${second}-`)).length, 0, `${second} (over budget) fetched:`);
    // Going there draws the preloaded texture: no second download.
    await element.goTo(all.find((room) => room.id === first)!.sceneId);
    equal(panoramas().filter((name) => name === `${first}-2048`).length, 1, `${first} downloads:`);

    // Alone on the page: another element showing the same panoramas would share them, and nothing would download.
    cleanup();
    await sleep(0);
    performance.clearResourceTimings();
    const roomy = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(roomy, 'load');
    await until(() => panoramas().includes(`${first}-2048`) && panoramas().includes(`${second}-2048`), 'the default budget preloads both');
  });

  it('zooming in past the level shown loads the sharper one and swaps it in, freeing the old', async () => {
    performance.clearResourceTimings();
    const element = mount({ src: '/fixtures/tour.json?levels=1024,2048,4096' }, 400, 300);
    element.preloadBudget = 0;
    const widths = new Set<number>();
    const frame = element.frame.bind(element);
    element.frame = (now) => {
      const spec = frame(now);
      if (spec) widths.add(spec.a.width);
      return spec;
    };
    await nextEvent(element, 'load');
    equal(panoramas().join(), 'lobby-2048', 'fov 90 at 400 px needs 1600 px:');
    const textures = VrTourElement.rendererStats()!.textures;
    element.lookAt(0, 0, 30); // needs 4800 px: 4096 is the largest
    await until(() => widths.has(4096), 'the 4096 px level drawn');
    await frames(2);
    equal(panoramas().join(), 'lobby-2048,lobby-4096', 'levels fetched:');
    equal(VrTourElement.rendererStats()!.textures, textures, 'live textures (the 2048 one disposed):');
    closeColor(await pixel(element, 200, 150), await expectedColor('lobby', 0, 0), 28, 'drawn sharp:');
  });
});
