import { emulateMedia } from '@web/test-runner-commands';
import type { SceneChangeEvent, ShareEvent, TourErrorEvent } from '../../src/events.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, frames, mount, nextEvent, pixel, rooms } from '../helpers/fixture.js';

/** Counts the frames drawn while a crossfade runs (a second texture mixed over the first). */
function countFades(element: VrTourElement): { fading: number } {
  const counter = { fading: 0 };
  const frame = element.frame.bind(element);
  element.frame = (now) => {
    const spec = frame(now);
    if (spec?.b) counter.fading += 1;
    return spec;
  };
  return counter;
}

describe('scenes', () => {
  afterEach(async () => {
    cleanup();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  it('starts in the scene attribute, and goes to the scene it is changed to', async () => {
    const { rooms: all } = await rooms();
    const [gallery, garden] = ['gallery', 'garden'].map((id) => all.find((room) => room.id === id)!);
    const element = mount({ src: '/fixtures/tour.json', scene: gallery!.sceneId }, 400, 300);
    await nextEvent(element, 'load');
    equal(element.sceneId, gallery!.sceneId, 'start scene:');
    closeColor(await pixel(element, 200, 150), await expectedColor('gallery', 0, 0), 28, 'gallery drawn:');
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    element.setAttribute('scene', garden!.sceneId);
    equal((await change).detail.sceneId, garden!.sceneId);
  });

  it('yaw, pitch and fov set after loading turn the view', async () => {
    // A 4096 px level: fov 60 at 400 px is within what it shows sharp.
    const element = mount({ src: '/fixtures/tour.json?levels=1024,4096' }, 400, 300);
    await nextEvent(element, 'load');
    element.setAttribute('yaw', '90');
    element.setAttribute('fov', '60');
    await element.updateComplete;
    await frames(2);
    equal(element.getView().yaw, 90, 'yaw:');
    equal(element.getView().fov, 60, 'fov:');
    closeColor(await pixel(element, 200, 150), await expectedColor('lobby', 90, 0), 28, 'facing the gallery door:');
  });

  it('crossfades between scenes, and cuts with prefers-reduced-motion or transition "none"', async () => {
    const { rooms: all } = await rooms();
    const gallery = all.find((room) => room.id === 'gallery')!;
    const cases = [
      { name: 'crossfade', src: '/fixtures/tour.json', reduced: false, fades: true },
      { name: 'reduced motion', src: '/fixtures/tour.json', reduced: true, fades: false },
      { name: 'transition none', src: '/fixtures/tour.json?transition=none', reduced: false, fades: false },
    ];
    for (const { name, src, reduced, fades } of cases) {
      await emulateMedia({ reducedMotion: reduced ? 'reduce' : 'no-preference' });
      const element = mount({ src }, 400, 300);
      await nextEvent(element, 'load');
      const counter = countFades(element);
      await element.goTo(gallery.sceneId);
      equal(counter.fading > 0, fades, `${name}: frames mixing two scenes (${counter.fading}):`);
      closeColor(await pixel(element, 200, 150), await expectedColor('gallery', 0, 0), 28, `${name}: gallery drawn:`);
      cleanup();
    }
  });

  it('share() links to the scene and view, and that link reopens them', async () => {
    const { rooms: all, tourId } = await rooms();
    const garden = all.find((room) => room.id === 'garden')!;
    Object.defineProperty(navigator, 'share', { value: undefined, configurable: true });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async () => {} }, configurable: true });
    const element = mount({ src: '/fixtures/tour.json', scene: garden.sceneId }, 400, 300);
    await nextEvent(element, 'load');
    element.lookAt(45, 10, 70);
    const shared = nextEvent<ShareEvent>(element, 'share');
    equal(await element.share(), 'copy');
    const { url } = (await shared).detail;
    ok(url.includes(`#vr-tour=${tourId}/${garden.sceneId}/45.0/10.0/70`), `share url ${url}`);
    cleanup();
    const before = location.href;
    history.replaceState(null, '', url);
    try {
      const reopened = mount({ src: '/fixtures/tour.json' }, 400, 300);
      await nextEvent(reopened, 'load');
      equal(reopened.sceneId, garden.sceneId, 'scene:');
      const view = reopened.getView();
      equal(`${view.yaw}/${view.pitch}/${view.fov}`, '45/10/70', 'view:');
    } finally {
      history.replaceState(null, '', before);
    }
  });

  it('an unreachable src fires error (network) and shows the message', async () => {
    // Port 9 (discard) on loopback: nothing listens, the connection is refused.
    const element = mount({ src: 'http://127.0.0.1:9/tour.json' }, 400, 300);
    const event = await nextEvent<TourErrorEvent>(element, 'error');
    equal(event.detail.reason, 'network');
    await element.updateComplete;
    ok(/could not be loaded/.test(element.shadowRoot!.querySelector('[part=error]')?.textContent ?? ''), 'message shown');
  });

  it('events cross shadow roots: scene-change bubbles to the document, load and error stay on the element', async () => {
    const host = document.createElement('div');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    const seen: string[] = [];
    const listen = (type: string) => document.addEventListener(type, (event) => seen.push(`${type}@${(event.target as Element).tagName}`));
    ['scene-change', 'load', 'view-change'].forEach(listen);
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300, root as unknown as HTMLElement);
    await nextEvent(element, 'load');
    await frames(2);
    host.remove();
    ok(seen.includes('scene-change@DIV'), `scene-change reached the document, retargeted to the host (${seen})`);
    ok(seen.includes('view-change@DIV'), 'view-change too');
    ok(!seen.some((entry) => entry.startsWith('load@')), 'load does not bubble');
    await element.goTo('no-such-scene').then(
      () => ok(false, 'goTo an unknown scene must reject'),
      (error: Error) => equal(error.name, 'RangeError'),
    );
  });
});
