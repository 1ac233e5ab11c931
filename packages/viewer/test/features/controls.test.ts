import { sendKeys } from '@web/test-runner-commands';
import { equal, ok } from '../helpers/assert.js';
import { cleanup, mount, nextEvent, sleep } from '../helpers/fixture.js';

describe('controls', () => {
  afterEach(cleanup);

  it('arrow keys and +/- act only while the element has focus', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    await sendKeys({ press: 'ArrowRight' }); // focus is on the page, not the element
    equal(element.getView().yaw, 0, 'no page-wide capture:');
    element.focus();
    await sendKeys({ press: 'ArrowRight' });
    ok(element.getView().yaw > 5, 'ArrowRight turns right');
    await sendKeys({ press: '+' });
    ok(element.getView().fov < 90, '+ zooms in');
  });

  it('the wheel zooms only when focused or with Ctrl, so the page still scrolls', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const wheel = (ctrlKey: boolean) => element.dispatchEvent(new WheelEvent('wheel', { deltaY: 100, ctrlKey, bubbles: true, cancelable: true, composed: true }));
    equal(wheel(false), true, 'not focused: not cancelled');
    equal(element.getView().fov, 90);
    equal(wheel(true), false, 'with Ctrl: cancelled');
    ok(element.getView().fov > 90, 'zoomed out');
  });

  it('a drag turns the view and keeps turning a little after release (inertia)', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const pointer = (type: string, x: number) =>
      element.dispatchEvent(new PointerEvent(type, { pointerId: 1, clientX: x, clientY: 150, bubbles: true, composed: true, isPrimary: true }));
    element.setPointerCapture = () => {};
    pointer('pointerdown', 300);
    for (let x = 290; x > 200; x -= 10) {
      pointer('pointermove', x);
      await new Promise((resolve) => setTimeout(resolve, 8));
    }
    pointer('pointermove', 200);
    const released = element.getView().yaw;
    pointer('pointerup', 200); // straight after moving: a fling
    ok(released > 15, `dragging left turns right (${released})`);
    await sleep(400);
    ok(element.getView().yaw > released + 1, 'inertia carried on');
  });
});
