import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import type { VrTourElement } from '../../src/vr-tour.js';
import { equal, ok } from '../helpers/assert.js';
import { cleanup, mount, nextEvent, sleep } from '../helpers/fixture.js';

type Orientation = typeof DeviceOrientationEvent & { requestPermission?: () => Promise<string> };

function orient(alpha: number, beta: number, gamma: number): void {
  window.dispatchEvent(new DeviceOrientationEvent('deviceorientation', { alpha, beta, gamma, absolute: false }));
}

/** Waits for the view to satisfy `condition` (the render loop moves it), up to about 10 s. */
async function viewUntil(element: VrTourElement, condition: (yaw: number) => boolean): Promise<number> {
  for (let tries = 0; tries < 200 && !condition(element.getView().yaw); tries += 1) await sleep(50);
  return element.getView().yaw;
}

/** The narrowest fov a level of `levelWidth` px shows sharp in `cssWidth` px: one texel per CSS px at the centre. */
const sharpestFov = (levelWidth: number, cssWidth: number) => (2 * Math.atan((Math.PI * cssWidth) / levelWidth) * 180) / Math.PI;

describe('controls', () => {
  afterEach(async () => {
    cleanup();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

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

  it('the wheel zooms while focused, within the fov limits', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    element.focus();
    const wheel = (deltaY: number) => element.dispatchEvent(new WheelEvent('wheel', { deltaY, bubbles: true, cancelable: true, composed: true }));
    equal(wheel(-100), false, 'focused: cancelled');
    ok(element.getView().fov < 90, 'zoomed in');
    for (let index = 0; index < 40; index += 1) wheel(-200);
    equal(element.getView().fov.toFixed(1), sharpestFov(2048, 400).toFixed(1), 'narrowest:');
    for (let index = 0; index < 40; index += 1) wheel(200);
    equal(element.getView().fov, 120, 'widest:');
  });

  it('zoom stops where the largest level stops being sharp: a pixel per pixel, from its width and the canvas size', async () => {
    for (const [levels, width] of [['1024,2048', 400], ['1024,4096', 400], ['1024,4096', 800]] as const) {
      const element = mount({ src: `/fixtures/tour.json?levels=${levels}` }, width, 300);
      await nextEvent(element, 'load');
      element.focus();
      for (let index = 0; index < 30; index += 1) await sendKeys({ press: '+' });
      const largest = Number(levels.split(',')[1]);
      equal(element.getView().fov.toFixed(1), sharpestFov(largest, width).toFixed(1), `${largest} px level in ${width} px: narrowest fov`);
      cleanup();
    }
  });

  it('a pinch zooms, within the fov limits', async () => {
    const element = mount({ src: '/fixtures/tour.json?levels=1024,4096' }, 400, 300);
    await nextEvent(element, 'load');
    element.setPointerCapture = () => {};
    const pointer = (type: string, pointerId: number, x: number) =>
      element.dispatchEvent(new PointerEvent(type, { pointerId, clientX: x, clientY: 150, bubbles: true, composed: true, pointerType: 'touch' }));
    pointer('pointerdown', 1, 180);
    pointer('pointerdown', 2, 220);
    pointer('pointermove', 2, 240); // fingers 40 -> 60 px apart: 1.5 x closer
    equal(Math.round(element.getView().fov), 60, 'fov after spreading:');
    pointer('pointermove', 2, 1000);
    equal(element.getView().fov.toFixed(1), sharpestFov(4096, 400).toFixed(1), 'narrowest:');
    pointer('pointermove', 2, 181);
    equal(element.getView().fov, 120, 'widest:');
    pointer('pointerup', 2, 181);
    pointer('pointerup', 1, 180);
  });

  it('the gyroscope asks iOS for permission, then follows the device; a refusal changes nothing', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const Orientation = DeviceOrientationEvent as Orientation;
    const asked: string[] = [];
    try {
      Orientation.requestPermission = async () => (asked.push('denied'), 'denied');
      equal(await element.toggleGyroscope(), false, 'denied:');
      orient(0, 120, 0);
      equal(element.getView().pitch, 0, 'a refusal does not follow the device:');
      Orientation.requestPermission = async () => (asked.push('granted'), 'granted');
      equal(await element.toggleGyroscope(), true, 'granted:');
      equal(asked.join(), 'denied,granted', 'permission asked each time:');
      orient(0, 90, 0); // upright, facing the start: the reference heading
      orient(-30, 120, 0); // turned 30° right (alpha counts anticlockwise), tilted 30° up
      const { yaw, pitch } = element.getView();
      equal(`${Math.round(yaw)}/${Math.round(pitch)}`, '30/30', 'follows the device:');
      equal(await element.toggleGyroscope(), false, 'off again:');
      orient(-90, 90, 0);
      equal(Math.round(element.getView().yaw), 30, 'stops following:');
    } finally {
      delete Orientation.requestPermission;
    }
  });

  it('turns by itself after the idle time (autorotate), but not with prefers-reduced-motion', async () => {
    const element = mount({ src: '/fixtures/tour.json?idle=300', autorotate: '30' }, 400, 300);
    await nextEvent(element, 'load');
    const start = element.getView().yaw;
    const turned = await viewUntil(element, (yaw) => yaw > start + 3);
    ok(turned > start + 3, `autorotated to ${turned}`);
    cleanup();

    await emulateMedia({ reducedMotion: 'reduce' });
    const still = mount({ src: '/fixtures/tour.json?idle=300', autorotate: '30' }, 400, 300);
    await nextEvent(still, 'load');
    await sleep(1500); // five idle times
    equal(still.getView().yaw, 0, 'reduced motion: no autorotation:');
  });

  it('the full-screen button puts the element in full screen, and back', async () => {
    const element = mount({ src: '/fixtures/tour.json', controls: '' }, 400, 300);
    await nextEvent(element, 'load');
    const button = element.shadowRoot!.querySelector<HTMLElement>('[part=control][aria-label="Full screen"]');
    ok(button, 'a full-screen button');
    button.focus();
    const entered = nextEvent(document, 'fullscreenchange');
    await sendKeys({ press: 'Enter' }); // a user gesture, as requestFullscreen needs
    await entered;
    equal(document.fullscreenElement, element, 'in full screen:');
    const left = nextEvent(document, 'fullscreenchange');
    await element.toggleFullscreen();
    await left;
    equal(document.fullscreenElement, null, 'left full screen:');
  });
});
