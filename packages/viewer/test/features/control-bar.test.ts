import { executeServerCommand, sendKeys } from '@web/test-runner-commands';
import type { VrTourElement } from '../../src/vr-tour.js';
import { equal, ok } from '../helpers/assert.js';
import { screenPixels } from '../helpers/demo-page.js';
import { cleanup, mount, nextEvent, sleep } from '../helpers/fixture.js';

type Orientation = typeof DeviceOrientationEvent & { requestPermission?: () => Promise<string> };

const ariaSnapshot = (): Promise<string> => executeServerCommand('aria-snapshot', 'vr-tour');
const control = (element: VrTourElement, name: string) => element.shadowRoot!.querySelector<HTMLElement>(`[part~=control][aria-label="${name}"]`);

/** The control bar appears once its chunk arrived, right after the first picture. */
async function bar(element: VrTourElement): Promise<HTMLElement | null> {
  for (let tries = 0; tries < 100 && !element.shadowRoot!.querySelector('[part=controls]'); tries += 1) await sleep(50);
  await element.updateComplete;
  return element.shadowRoot!.querySelector<HTMLElement>('[part=controls]');
}

describe('control bar', () => {
  afterEach(async () => {
    cleanup();
    await executeServerCommand('cdp', { method: 'Emulation.setTouchEmulationEnabled', params: { enabled: false } });
  });

  it('is on by default: zoom, autorotate, share and full screen buttons, 44 px each, reachable by Tab; controls="none" hides it', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 480, 300);
    await nextEvent(element, 'load');
    ok(await bar(element), 'a control bar without the controls attribute');
    const tree = await ariaSnapshot();
    for (const name of ['Zoom in', 'Zoom out', 'Rotate automatically', 'Share', 'Full screen']) {
      ok(tree.includes(`button "${name}"`), `button "${name}" in the accessibility tree:\n${tree}`);
      const rect = control(element, name)!.getBoundingClientRect();
      ok(rect.width >= 44 && rect.height >= 44, `${name}: ${rect.width}x${rect.height} px`);
    }
    element.focus();
    const reached: string[] = [];
    for (let index = 0; index < 12; index += 1) {
      await sendKeys({ press: 'Tab' });
      reached.push(element.shadowRoot!.activeElement?.getAttribute('aria-label') ?? '');
    }
    ok(reached.includes('Zoom in') && reached.includes('Full screen'), `Tab reaches the controls: ${reached.join(', ')}`);
    const fov = element.getView().fov;
    control(element, 'Zoom in')!.click();
    ok(element.getView().fov < fov, 'Zoom in zooms');
    element.setAttribute('controls', 'none');
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('[part=controls]'), null, 'controls="none":');
  });

  it('the autorotate button turns the view now, and stops it', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 480, 300);
    await nextEvent(element, 'load');
    await bar(element);
    const button = control(element, 'Rotate automatically')!;
    equal(button.getAttribute('aria-pressed'), 'false', 'off at first:');
    button.click();
    await element.updateComplete;
    equal(button.getAttribute('aria-pressed'), 'true', 'on:');
    const start = element.getView().yaw;
    for (let tries = 0; tries < 100 && element.getView().yaw === start; tries += 1) await sleep(50);
    ok(element.getView().yaw !== start, 'turning');
    button.click();
    await sleep(100);
    const stopped = element.getView().yaw;
    await sleep(300);
    equal(element.getView().yaw, stopped, 'stopped:');
  });

  it('the full-screen button says "Exit full screen", with another icon, while in full screen', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 480, 300);
    await nextEvent(element, 'load');
    await bar(element);
    const icon = async (name: string) => {
      const rect = control(element, name)!.getBoundingClientRect();
      return JSON.stringify(await screenPixels(rect.left, rect.top, rect.width, rect.height));
    };
    const before = await icon('Full screen');
    control(element, 'Full screen')!.focus();
    const entered = nextEvent(document, 'fullscreenchange');
    await sendKeys({ press: 'Enter' });
    await entered;
    await element.updateComplete;
    const tree = await ariaSnapshot();
    ok(tree.includes('button "Exit full screen"'), `in full screen the button says so:\n${tree}`);
    ok((await icon('Exit full screen')) !== before, 'the icon changed');
    const left = nextEvent(document, 'fullscreenchange');
    await element.toggleFullscreen();
    await left;
    await element.updateComplete;
    ok(control(element, 'Full screen'), 'out of full screen, the label is back');
  });

  it('on a touch device the gyroscope button asks iOS for permission, then follows the device', async () => {
    await executeServerCommand('cdp', { method: 'Emulation.setTouchEmulationEnabled', params: { enabled: true, maxTouchPoints: 5 } });
    const Orientation = DeviceOrientationEvent as Orientation;
    let asked = 0;
    Orientation.requestPermission = async () => (asked++, 'granted');
    try {
      const element = mount({ src: '/fixtures/tour.json' }, 480, 300);
      await nextEvent(element, 'load');
      await bar(element);
      const gyro = control(element, 'Look around by moving your device');
      ok(gyro, `a gyroscope button on a touch device:\n${await ariaSnapshot()}`);
      gyro.click();
      for (let tries = 0; tries < 40 && gyro.getAttribute('aria-pressed') !== 'true'; tries += 1) await sleep(50);
      equal(asked, 1, 'permission asked:');
      equal(gyro.getAttribute('aria-pressed'), 'true', 'on:');
    } finally {
      delete Orientation.requestPermission;
    }
  });
});
