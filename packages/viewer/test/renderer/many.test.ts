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

  it('draws 8 elements with one WebGL context, and nothing for an off-screen one', async () => {
    const grid = document.createElement('div');
    grid.style.cssText = 'display:grid;grid-template-columns:repeat(4,180px);gap:4px;';
    document.body.append(grid);
    const elements = Array.from({ length: 8 }, (_, index) =>
      mount({ src: '/fixtures/tour.json', yaw: String(index * 10 - 40) }, 180, 120, grid),
    );
    const far = document.createElement('div');
    far.style.marginTop = '10000px';
    document.body.append(far);
    const offscreen = mount({ src: '/fixtures/tour.json', loading: 'lazy' }, 180, 120, far);
    await Promise.all(elements.map((element) => nextEvent(element, 'load', 40000)));
    for (const [index, element] of elements.entries()) {
      closeColor(pixel(element, 90, 60), await expectedColor('lobby', index * 10 - 40, 0), 28, `element ${index}:`);
    }
    equal(contexts.length, 1, 'WebGL contexts:');
    equal(VrTourElement.rendererStats()!.contexts, 1);
    await sleep(300);
    const canvas = offscreen.shadowRoot!.querySelector('canvas')!;
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    ok(data.every((value) => value === 0), 'the off-screen element drew nothing');
  });
});
