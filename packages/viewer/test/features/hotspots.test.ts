import { sendKeys } from '@web/test-runner-commands';
import type { SceneChangeEvent } from '../../src/events.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, mount, nextEvent, pixel, rooms, sleep } from '../helpers/fixture.js';

type Spot = HTMLElement & { dataset: { id: string } };

function spots(element: HTMLElement): Spot[] {
  return [...element.shadowRoot!.querySelectorAll<Spot>('.spot')];
}

describe('hotspots', () => {
  afterEach(cleanup);

  it('a navigation hotspot click goes to its scene, keeps the walking direction and emits scene-change', async () => {
    const { rooms: all } = await rooms();
    const [lobby, gallery] = [all.find((room) => room.id === 'lobby')!, all.find((room) => room.id === 'gallery')!];
    const door = lobby.doors.find((candidate) => candidate.target === 'gallery')!;
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const button = spots(element).find((spot) => spot.getAttribute('aria-label') === 'Go to the Gallery')!;
    ok(button, 'the door has a labelled button');
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    const clicked = nextEvent(element, 'hotspot-click');
    button.click();
    await clicked;
    const event = await change;
    equal(event.detail.sceneId, gallery.sceneId);
    equal(event.detail.previousSceneId, lobby.sceneId);
    await sleep(100);
    await element.goTo(gallery.sceneId, element.getView()); // resolves once drawn sharp
    equal(Math.round(element.getView().yaw), door.yaw, 'still facing the way we walked:');
    closeColor(pixel(element, 200, 150), await expectedColor('gallery', door.yaw, 0), 28, 'gallery drawn:');
    const live = element.shadowRoot!.querySelector('[aria-live]')!;
    ok(live.textContent!.includes('Gallery'), 'the live region announces the scene');
  });

  it('keyboard: Tab reaches the hotspots in order, Enter and Space activate them', async () => {
    const { rooms: all } = await rooms();
    const gallery = all.find((room) => room.id === 'gallery')!;
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    element.focus();
    const reached: string[] = [];
    for (let index = 0; index < spots(element).length; index += 1) {
      await sendKeys({ press: 'Tab' });
      reached.push(element.shadowRoot!.activeElement?.getAttribute('aria-label') ?? '');
    }
    equal(reached.join('|'), spots(element).map((spot) => spot.getAttribute('aria-label')).join('|'), 'tab order:');
    // Space on the info hotspot opens its popover; Escape closes it.
    while (element.shadowRoot!.activeElement?.getAttribute('aria-label') !== 'Welcome') await sendKeys({ press: 'Shift+Tab' });
    await sendKeys({ press: 'Space' });
    await sleep(200);
    ok(element.shadowRoot!.querySelector('[part=popover]'), 'Space opened the popover');
    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('[part=popover]'), null, 'Escape closed it');
    while (element.shadowRoot!.activeElement?.getAttribute('aria-label') !== 'Go to the Gallery') await sendKeys({ press: 'Shift+Tab' });
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    await sendKeys({ press: 'Enter' });
    equal((await change).detail.sceneId, gallery.sceneId);
  });

  it('an info hotspot with script payloads shows the text and runs nothing', async () => {
    const win = window as unknown as { __pwned?: number };
    delete win.__pwned;
    const element = mount({ src: '/fixtures/tour.json?xss=1' }, 400, 300);
    await nextEvent(element, 'load');
    spots(element).find((spot) => spot.getAttribute('aria-label') === 'Welcome')!.click();
    await sleep(500);
    const popover = element.shadowRoot!.querySelector('[part=popover]')!;
    ok(popover, 'popover open');
    ok(popover.querySelector('#safe')?.textContent?.includes('Hello'), 'the safe text is there');
    equal(popover.querySelectorAll('script, iframe').length, 0, 'scripts and frames removed:');
    for (const node of popover.querySelectorAll('*')) {
      for (const attribute of node.attributes) ok(!/^on/i.test(attribute.name), `handler attribute ${attribute.name} kept`);
      ok(!/javascript:/i.test(node.getAttribute('href') ?? ''), 'javascript: link kept');
    }
    equal(win.__pwned, undefined, 'payload ran:');
  });

  it('hides hotspots behind the camera and places visible ones by projection', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const welcome = spots(element).find((spot) => spot.getAttribute('aria-label') === 'Welcome')!; // yaw 0, pitch 10
    const box = welcome.getBoundingClientRect();
    const host = element.getBoundingClientRect();
    ok(Math.abs(box.left + box.width / 2 - (host.left + 200)) < 2, 'centred horizontally');
    ok(box.top + box.height / 2 < host.top + 150, 'above the horizon');
    element.lookAt(180);
    await sleep(100);
    ok(welcome.classList.contains('behind'), 'hidden when behind the camera');
  });
});
