// Counts WebGL contexts from the start of the page: this file must not share a page.
const contexts: string[] = [];
const getContext = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
  if (type.startsWith('webgl')) contexts.push(type);
  return (getContext as (...args: unknown[]) => unknown).call(this, type, ...rest);
} as typeof getContext;

import { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, mount, nextEvent, pixel, sleep } from '../helpers/fixture.js';

describe('renderer: many elements', () => {
  after(cleanup);

  it('draws 8 elements with one WebGL context, and nothing for an off-screen one until it scrolls in', async () => {
    const grid = document.createElement('div');
    grid.style.cssText = 'display:grid;grid-template-columns:repeat(4,180px);gap:4px;';
    document.body.append(grid);
    const elements = Array.from({ length: 8 }, (_, index) =>
      mount({ src: '/fixtures/tour.json', yaw: String(index * 10 - 40) }, 180, 120, grid),
    );
    const far = document.createElement('div');
    far.style.marginTop = '10000px';
    document.body.append(far);
    // Eager: it loads its tour and panorama at once, but must not draw while out of sight.
    const offscreen = mount({ src: '/fixtures/tour.json' }, 180, 120, far);
    let offscreenLoaded = false;
    offscreen.addEventListener('load', () => (offscreenLoaded = true));
    await Promise.all(elements.map((element) => nextEvent(element, 'load', 40000)));
    for (const [index, element] of elements.entries()) {
      closeColor(await pixel(element, 90, 60), await expectedColor('lobby', index * 10 - 40, 0), 28, `element ${index}:`);
    }
    equal(contexts.length, 1, 'WebGL contexts:');
    equal(VrTourElement.rendererStats()!.contexts, 1);
    // Wait until its panorama is on the GPU (an internal: no event tells it), so drawing is only held back by visibility.
    const ready = () => (offscreen as unknown as { pano: { a: unknown } }).pano.a !== null;
    for (let tries = 0; tries < 200 && !ready(); tries += 1) await sleep(100);
    ok(ready(), 'the off-screen element has its panorama');
    await sleep(300);
    equal(offscreen.shadowRoot!.querySelectorAll('canvas').length, 1, 'canvases in the off-screen element:');
    const canvas = offscreen.shadowRoot!.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    ok(data.every((value) => value === 0), 'the off-screen element drew nothing');
    ok(!offscreenLoaded, 'no load event while off screen');
    const load = nextEvent(offscreen, 'load', 40000);
    offscreen.scrollIntoView();
    await load;
    closeColor(await pixel(offscreen, 90, 60), await expectedColor('lobby', 0, 0), 28, 'scrolled in:');
  });
});
