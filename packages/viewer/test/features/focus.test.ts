import { sendKeys } from '@web/test-runner-commands';
import type { Hotspot } from '@vr-tour/protocol';
import type { VrTourElement } from '../../src/vr-tour.js';
import { project } from '../../src/math.js';
import { colorDistance, equal, ok } from '../helpers/assert.js';
import { closeDemoPage, DESKTOP, luminance, openDemoPage, screenPixels, type DemoPage } from '../helpers/demo-page.js';
import { expectedColor, frames, nextEvent, rooms, sleep } from '../helpers/fixture.js';

/** The room a scene shows (the demo's scenes are its rooms, in order). */
async function roomOf(element: VrTourElement): Promise<string> {
  const index = element.tour!.scenes.findIndex((scene) => scene.id === element.sceneId);
  return (await rooms()).rooms[index]!.id;
}

/** Waits until the scene on screen is drawn sharp (goTo resolves then; the same scene and view change nothing). */
const sharp = (element: VrTourElement) => element.goTo(element.sceneId!, element.getView());

/** The deepest focused element inside the tour, or null when the tour itself has the focus. */
const focusedIn = (element: VrTourElement) => element.shadowRoot!.activeElement as HTMLElement | null;

describe('keyboard focus', () => {
  let page: DemoPage | null = null;
  afterEach(async () => {
    await closeDemoPage(page);
    page = null;
  });

  /**
   * What the visitor sees where each door hotspot of the scene stands: with the
   * markers made transparent, the screen at the hotspot's projected anchor
   * (from the tour's own box) must show that door's colour.
   */
  async function doorsLineUp(element: VrTourElement, doc: Document): Promise<string[]> {
    const room = await roomOf(element);
    const box = element.getBoundingClientRect();
    const hide = doc.createElement('style');
    hide.textContent = 'vr-tour::part(hotspot) { opacity: 0 !important; }';
    doc.head.append(hide);
    await frames(3);
    const wrong: string[] = [];
    const doors = element.currentScene!.hotspots.filter((hotspot): hotspot is Hotspot => hotspot.type === 'navigation');
    for (const door of doors) {
      const point = project(element.getView(), door.yaw, door.pitch, box.width, box.height);
      if (!point || point[0] < 20 || point[1] < 20 || point[0] > box.width - 20 || point[1] > box.height - 20) continue;
      const shown = (await screenPixels(box.left + point[0], box.top + point[1], 1, 1))[0]![0]!;
      const expected = await expectedColor(room, door.yaw, door.pitch);
      if (colorDistance(shown, expected) > 28) wrong.push(`${door.title}: rgb(${shown}) instead of rgb(${expected})`);
    }
    hide.remove();
    await frames(2);
    return wrong;
  }

  it('Tab, Tab, Enter, Tab, Tab on the demo page never moves the stage, and door hotspots stay on their doors', async () => {
    page = await openDemoPage(DESKTOP);
    const { element, doc, win } = page;
    const stage = () => element.shadowRoot!.querySelector('[part=stage]')!.getBoundingClientRect();
    win.focus();
    const steps = ['Tab', 'Tab', 'Enter', 'Tab', 'Tab'];
    for (const [index, key] of steps.entries()) {
      const changed = key === 'Enter' ? nextEvent(element, 'scene-change') : null;
      await sendKeys({ press: key });
      if (changed) {
        await changed;
        await sharp(element);
      }
      await frames(4);
      // Focus may scroll the page to the tour; the stage must stay on the tour's box.
      const [now, host] = [stage(), element.getBoundingClientRect()];
      const where = `after ${steps.slice(0, index + 1).join(', ')}:`;
      equal(`${Math.round(now.left - host.left)},${Math.round(now.top - host.top)}`, '0,0', `${where} the stage moved by`);
      const wrong = await doorsLineUp(element, doc);
      equal(wrong.join('; '), '', `${where} doors off their hotspots:`);
    }
  });

  it('after Enter on a door, the focus is on the tour itself with a visible ring, and Enter again does not walk back', async () => {
    page = await openDemoPage(DESKTOP);
    const { element, win } = page;
    win.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    const walked = focusedIn(element)?.getAttribute('aria-label');
    const changed = nextEvent(element, 'scene-change');
    await sendKeys({ press: 'Enter' });
    await changed;
    await sharp(element);
    await frames(4);
    const focused = focusedIn(element);
    equal(focused ? `the hotspot "${focused.getAttribute('aria-label')}"` : 'the tour', 'the tour', `after Enter on "${walked}", the focus is on`);
    equal(page.doc.activeElement, element, 'the page focus:');
    // The ring: a light and a dark band along the tour's inner edge, visible on any picture.
    const box = element.getBoundingClientRect();
    const edge = (await screenPixels(box.left, box.top + box.height / 2, 10, 1))[0]!;
    ok(edge.some((pixel) => luminance(pixel) > 200) && edge.some((pixel) => luminance(pixel) < 60), `a two-tone focus ring on the edge: ${JSON.stringify(edge)}`);
    const scene = element.sceneId;
    await sendKeys({ press: 'Enter' });
    await sleep(300);
    equal(element.sceneId, scene, 'Enter again stays in the scene:');
  });

  it('a focused hotspot has a two-tone ring that shows on the white gallery walls, and is a 44 px touch target', async () => {
    page = await openDemoPage(DESKTOP);
    const { element, win } = page;
    const gallery = element.tour!.scenes[1]!;
    await element.goTo(gallery.id);
    win.focus();
    await sendKeys({ press: 'Tab' });
    await sendKeys({ press: 'Tab' });
    await frames(4);
    const spot = focusedIn(element)!;
    ok(spot?.matches('[part~=hotspot]'), 'a hotspot has the focus');
    const rect = spot.getBoundingClientRect();
    ok(rect.width >= 44 && rect.height >= 44, `touch target ${rect.width}x${rect.height} px, under 44 x 44`);
    // Just outside the marker, right of its centre: the ring's pixels over the white wall.
    const ring = (await screenPixels(rect.right, rect.top + rect.height / 2, 10, 1))[0]!;
    ok(ring.some((pixel) => luminance(pixel) < 60), `no dark ring pixel over the white wall: ${JSON.stringify(ring)}`);
    ok(ring.some((pixel) => luminance(pixel) > 200), `no light ring pixel: ${JSON.stringify(ring)}`);
  });
});
