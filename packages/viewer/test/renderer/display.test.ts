import { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import type { Rgb } from '../helpers/assert.js';
import { cleanup, executeServerCommand, expectedColor, frames, mount, nextEvent, pixel } from '../helpers/fixture.js';

const TOLERANCE = 28;
const canvases = (element: VrTourElement) => element.shadowRoot!.querySelectorAll('canvas').length;

/** What the screen shows at CSS px (x, y) of the element: a screenshot, so the compositor's output. */
async function onScreen(element: VrTourElement, x: number, y: number): Promise<Rgb> {
  const box = element.getBoundingClientRect();
  return (await executeServerCommand('screen-pixel', { x: box.left + x, y: box.top + y })) as Rgb;
}

describe('renderer: direct display', () => {
  after(cleanup);

  it('draws the only element on screen straight into the shared canvas, and copies once a second one shows', async () => {
    const first = mount({ src: '/fixtures/tour.json', yaw: '0' }, 400, 300);
    await nextEvent(first, 'load');
    await frames(2);
    const alone = VrTourElement.rendererStats()!;
    equal(canvases(first), 2, 'the shared canvas is shown in the only element:');
    closeColor(await pixel(first, 200, 150), await expectedColor('lobby', 0, 0), TOLERANCE, 'alone:');
    first.lookAt(30, 0, 90);
    await frames(2);
    const moved = VrTourElement.rendererStats()!;
    ok(moved.frames > alone.frames, 'a frame was drawn for the new view');
    equal(moved.copies, alone.copies, 'pixels copied while alone:');
    closeColor(await pixel(first, 200, 150), await expectedColor('lobby', 30, 0), TOLERANCE, 'alone, turned:');
    closeColor(await onScreen(first, 200, 150), await expectedColor('lobby', 30, 0), TOLERANCE, 'alone, turned, on screen:');

    const second = mount({ src: '/fixtures/tour.json', yaw: '-40' }, 400, 300);
    await nextEvent(second, 'load');
    await frames(2);
    equal(canvases(first), 1, 'with two on screen, the first shows its own canvas:');
    equal(canvases(second), 1, 'and so does the second:');
    ok(VrTourElement.rendererStats()!.copies > moved.copies, 'pixels are copied');
    closeColor(await pixel(first, 200, 150), await expectedColor('lobby', 30, 0), TOLERANCE, 'first, copied:');
    closeColor(await pixel(second, 200, 150), await expectedColor('lobby', -40, 0), TOLERANCE, 'second, copied:');

    second.remove();
    first.lookAt(-30, 0, 90);
    await frames(2);
    equal(canvases(first), 2, 'alone again, the shared canvas is back in the first:');
    closeColor(await pixel(first, 200, 150), await expectedColor('lobby', -30, 0), TOLERANCE, 'alone again:');
    closeColor(await onScreen(first, 200, 150), await expectedColor('lobby', -30, 0), TOLERANCE, 'alone again, on screen:');
  });
});
