// The emulated headset installs a WebXR runtime into the page: this file must not share a page.
import { sendKeys } from '@web/test-runner-commands';
import { metaQuest3, XRDevice } from 'iwer';
import { Quaternion, Vector3 } from 'three';
import type { SceneChangeEvent } from '../../src/events.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, colorDistance, equal, ok, type Rgb } from '../helpers/assert.js';
import { ariaSnapshot, cleanup, executeServerCommand, expectedColor, frames, mount, nextEvent, rooms, screenPixel, sleep, waitFor } from '../helpers/fixture.js';

async function tour(id: string): Promise<VrTourElement> {
  const element = mount({ src: '/fixtures/tour.json', controls: '' }, 640, 400);
  element.id = id;
  await nextEvent(element, 'load');
  await waitFor(() => element.shadowRoot!.querySelector('.dock'), 'the panels');
  // What the element asked the browser, asked again here: its answer is in once ours is.
  await navigator.xr?.isSessionSupported('immersive-vr').catch(() => false);
  await sleep(0);
  await element.updateComplete;
  return element;
}

/** Waits until the middle of the window shows the colour the room has at (yaw, 0), and checks it. */
async function centreShows(room: string, yaw: number): Promise<void> {
  const expected = await expectedColor(room, yaw, 0);
  const seen = () => screenPixel(innerWidth / 2, innerHeight / 2);
  let actual = await seen();
  for (let tries = 0; tries < 100 && colorDistance(actual, expected) > 28; tries += 1) actual = await seen();
  closeColor(actual, expected, 28, `${room} at yaw ${yaw} in the middle of the headset's view:`);
}

const vrButton = (element: VrTourElement) =>
  [...element.shadowRoot!.querySelectorAll<HTMLButtonElement>('.dock button')].find((button) => button.textContent!.includes('View in VR'));

describe('VR (WebXR)', () => {
  afterEach(cleanup);

  it('offers no "View in VR" where the browser has no immersive-vr session', async () => {
    ok(!(await navigator.xr?.isSessionSupported('immersive-vr').catch(() => false)), 'this Chromium has no headset');
    const element = await tour('no-vr');
    ok(!(await ariaSnapshot('#no-vr')).includes('View in VR'), 'no VR button in the accessibility tree');
    equal(vrButton(element), undefined, 'nor in the DOM:');
  });

  it('with an emulated headset: the button, a session around the panorama, and a controller select on a door goes through it', async () => {
    const { rooms: all } = await rooms();
    const lobby = all.find((room) => room.id === 'lobby')!;
    const gallery = all.find((room) => room.id === 'gallery')!;
    const door = lobby.doors.find((candidate) => candidate.target === 'gallery')!;
    const device = new XRDevice(metaQuest3);
    device.installRuntime({ forceInstall: true });
    try {
      const element = await tour('vr');
      await waitFor(() => vrButton(element), 'a VR button');
      ok(/- button "View in VR"/.test(await ariaSnapshot('#vr')), 'in the accessibility tree');

      vrButton(element)!.focus();
      await sendKeys({ press: 'Enter' });
      const session = await waitFor(() => device.activeSession, 'an immersive session');
      // The emulator shows the session's frames in the page (one eye, the whole window): the panorama
      // around the visitor, facing the page's view (yaw 0).
      await centreShows('lobby', 0);
      await executeServerCommand('save-screenshot', 'xr-session');

      // The right controller at the eyes, pointing at the gallery door's hotspot (yaw 90, pitch -5):
      // the session opens facing the page's view (yaw 0), so the door is 90° to the right.
      const target = new Vector3(Math.sin((door.yaw * Math.PI) / 180), Math.sin((-5 * Math.PI) / 180), -Math.cos((door.yaw * Math.PI) / 180)).normalize();
      const aim = new Quaternion().setFromUnitVectors(new Vector3(0, 0, -1), target);
      const controller = device.controllers.right!;
      controller.position.set(device.position.x, device.position.y, device.position.z);
      controller.quaternion.set(aim.x, aim.y, aim.z, aim.w);
      const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
      controller.updateButtonValue('trigger', 1);
      const event = await change;
      equal(event.detail.sceneId, gallery.sceneId, 'the select went through the gallery door:');
      controller.updateButtonValue('trigger', 0);
      // The gallery opens at its view (the way walked, yaw 90) straight ahead.
      await centreShows('gallery', door.yaw);
      await session.end();
      await waitFor(() => !device.activeSession, 'the session ended');
    } finally {
      device.uninstallRuntime();
    }
  });
});
