import { sendKeys } from '@web/test-runner-commands';
import type { SceneChangeEvent } from '../../src/events.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, mount, nextEvent, pixel, rooms, sleep } from '../helpers/fixture.js';

type Spot = HTMLElement & { dataset: { id: string } };

function spots(element: HTMLElement): Spot[] {
  return [...element.shadowRoot!.querySelectorAll<Spot>('.spot')];
}

/** The element's popover once it opened (info text waits for the DOMPurify chunk), or null after about 5 s. */
async function popoverOf(element: HTMLElement): Promise<HTMLElement | null> {
  const find = () => element.shadowRoot!.querySelector<HTMLElement>('[part=popover]');
  for (let tries = 0; tries < 100 && !find(); tries += 1) await sleep(50);
  return find();
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
    closeColor(await pixel(element, 200, 150), await expectedColor('gallery', door.yaw, 0), 28, 'gallery drawn:');
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
    ok(await popoverOf(element), 'Space opened the popover');
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
    const popover = (await popoverOf(element))!;
    ok(popover, 'popover open');
    await sleep(300); // time for an <img onerror> to fire, had it survived
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

  it('cancelling hotspot-click skips the built-in action', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    await nextEvent(element, 'load');
    const start = element.sceneId;
    let changes = 0;
    element.addEventListener('scene-change', () => (changes += 1));
    element.addEventListener('hotspot-click', (event) => event.preventDefault(), { once: true });
    spots(element).find((spot) => spot.getAttribute('aria-label') === 'Go to the Gallery')!.click();
    await sleep(300);
    equal(element.sceneId, start, 'still in the lobby:');
    equal(changes, 0, 'scene changes:');
  });

  it('a navigation hotspot with a target view arrives looking there', async () => {
    const element = mount({ src: '/fixtures/tour.json?targetview=1' }, 400, 300);
    await nextEvent(element, 'load');
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    spots(element).find((spot) => spot.getAttribute('aria-label') === 'Go to the Gallery')!.click();
    await change;
    const { yaw, pitch, fov } = element.getView();
    equal(`${yaw}/${pitch}/${fov}`, '-60/5/70', 'the target view:');
  });

  it('walking on carries the bearing across scenes with different north offsets', async () => {
    const { rooms: all } = await rooms();
    const door = all.find((room) => room.id === 'lobby')!.doors.find((candidate) => candidate.target === 'gallery')!;
    // ?north=1: the lobby faces north at yaw 0, the gallery at yaw 40.
    const element = mount({ src: '/fixtures/tour.json?north=1' }, 400, 300);
    await nextEvent(element, 'load');
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    spots(element).find((spot) => spot.getAttribute('aria-label') === 'Go to the Gallery')!.click();
    await change;
    equal(Math.round(element.getView().yaw), door.yaw + 40, 'same compass bearing:');
  });

  it('a link hotspot is a new-tab noopener link; a custom one renders its slot or its sanitized template', async () => {
    const win = window as unknown as { __pwned?: number };
    delete win.__pwned;
    const slotted = document.createElement('span');
    slotted.textContent = 'From the page';
    const element = mount({ src: '/fixtures/tour.json?media=1' }, 400, 300);
    await nextEvent(element, 'load');
    const byName = (name: string) => spots(element).find((spot) => spot.getAttribute('aria-label') === name)!;
    const link = byName('Website');
    equal(link.tagName, 'A');
    equal(link.getAttribute('href'), 'https://example.com/about');
    equal(link.getAttribute('target'), '_blank');
    ok(/\bnoopener\b/.test(link.getAttribute('rel') ?? ''), 'rel noopener');
    const templated = byName('Templated');
    // The template is sanitized by the DOMPurify chunk, loaded on first use.
    for (let tries = 0; tries < 100 && !templated.querySelector('em.tpl'); tries += 1) await sleep(50);
    equal(templated.tagName, 'BUTTON');
    ok(templated.querySelector('em.tpl')?.textContent === 'Sale', 'the template renders');
    equal(templated.querySelectorAll('script').length, 0, 'scripts kept:');
    ok([...templated.querySelectorAll('*')].every((node) => ![...node.attributes].some((a) => /^on/i.test(a.name))), 'handlers kept');
    const slotSpot = byName('Slotted');
    slotted.slot = `hotspot-${slotSpot.dataset.id}`;
    element.append(slotted);
    const slot = slotSpot.querySelector('slot')!;
    equal(slot.assignedElements()[0], slotted, 'the page fills the slot:');
    await sleep(200);
    equal(win.__pwned, undefined, 'payload ran:');
  });

  it('audio and video play in place, one at a time on the page', async () => {
    const first = mount({ src: '/fixtures/tour.json?media=1' }, 400, 300);
    const second = mount({ src: '/fixtures/tour.json?media=1' }, 400, 300);
    await Promise.all([nextEvent(first, 'load'), nextEvent(second, 'load')]);
    const open = async (element: HTMLElement, name: string, selector: string): Promise<HTMLMediaElement> => {
      // A real key press: media may start only after a user gesture.
      spots(element).find((spot) => spot.getAttribute('aria-label') === name)!.focus();
      await sendKeys({ press: 'Enter' });
      const media = (await popoverOf(element))?.querySelector<HTMLMediaElement>(selector);
      ok(media, `${name}: a ${selector} in the popover`);
      if (media.paused) await nextEvent(media, 'playing');
      return media;
    };
    const audio = await open(first, 'Chime', 'audio');
    ok(audio.currentSrc.endsWith('/fixtures/media/chime.wav'), `audio src ${audio.currentSrc}`);
    const video = await open(second, 'Film', 'video');
    for (let tries = 0; tries < 100 && !audio.paused; tries += 1) await sleep(50); // 'play' is dispatched in a later task
    ok((video as HTMLVideoElement).poster.endsWith('/fixtures/media/poster.jpg') && video.hasAttribute('playsinline'), 'video poster, inline');
    equal(audio.paused && !audio.ended, true, 'the (looping) audio paused when the video started:');
    equal(video.paused, false, 'the video plays:');
  });
});
