import { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, mount, nextEvent, pixel, rooms, sleep } from '../helpers/fixture.js';

/** Decoded bytes of one 1024 px level (what an element of this size picks at fov 90). */
const LEVEL_BYTES = 1024 * 512 * 4;

const stats = () => VrTourElement.rendererStats()!;

/** Internals read by these tests: nothing public tells when a texture is uploaded or released. */
interface Internals {
  pano: { a: unknown };
  textures: { entries: Map<string, { texture: unknown }> };
}
const internals = (element: VrTourElement) => element as unknown as Internals;

/** Waits (up to about 20 s) until `condition` holds. */
async function until(condition: () => boolean): Promise<void> {
  for (let tries = 0; tries < 400 && !condition(); tries += 1) await sleep(50);
}

/** True once every texture an element asked for is on the GPU (its neighbours' preloads included). */
const settled = (element: VrTourElement) => [...internals(element).textures.entries.values()].every((entry) => entry.texture);

describe('renderer: textures shared between elements', () => {
  afterEach(cleanup);

  it('twelve copies of one tour hold each panorama once', async () => {
    const grid = document.createElement('div');
    grid.style.cssText = 'display:grid;grid-template-columns:repeat(4,160px);gap:4px;';
    document.body.append(grid);
    const elements = Array.from({ length: 12 }, () => mount({ src: '/fixtures/tour.json' }, 160, 100, grid));
    await Promise.all(elements.map((element) => nextEvent(element, 'load', 40000)));
    // Every element preloads the lobby's two neighbours at its next idle moment.
    await until(() => elements.every(settled) && elements.every((element) => internals(element).textures.entries.size === 3));
    ok(elements.every(settled), 'every element has its textures');
    equal(stats().textures, 3, 'live textures (the lobby and its two neighbours, once each):');
    equal(stats().textureBytes, 3 * LEVEL_BYTES, 'decoded bytes held:');
    grid.remove();
  });

  it('an element far off screen lets go of its textures, and loads them again when it comes back', async () => {
    const { rooms: all } = await rooms();
    const garden = all.find((room) => room.id === 'garden')!;
    const top = mount({ src: '/fixtures/tour.json' }, 200, 120);
    const spacer = document.createElement('div');
    document.body.append(spacer);
    const below = mount({ src: '/fixtures/tour.json', scene: garden.sceneId }, 200, 120);
    for (const element of [top, below]) element.preloadBudget = 0; // only the scene on screen is kept
    await Promise.all([nextEvent(top, 'load'), nextEvent(below, 'load')]);
    await until(() => stats().textures === 2);
    equal(stats().textures, 2, 'the lobby and the garden:');

    spacer.style.height = '20000px'; // the garden's element is now far below the viewport
    await until(() => stats().textures === 1);
    equal(stats().textures, 1, 'live textures once the garden is far off screen:');
    equal(stats().textureBytes, LEVEL_BYTES, 'decoded bytes held:');

    below.scrollIntoView(); // and now the lobby's is far above
    await until(() => internals(below).pano.a !== null && stats().textures === 1);
    ok(internals(below).pano.a, 'the garden is loaded again');
    equal(stats().textures, 1, 'live textures (the garden only):');
    closeColor(await pixel(below, 100, 60), await expectedColor('garden', 0, 0), 28, 'the garden drawn again:');
    spacer.remove();
  });
});
