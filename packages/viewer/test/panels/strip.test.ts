import { sendKeys } from '@web/test-runner-commands';
import type { SceneChangeEvent } from '../../src/events.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { ariaSnapshot, cleanup, expectedColor, frames, mount, nextEvent, pixel, rooms, screenPixel, waitFor } from '../helpers/fixture.js';

/** Tabs until the focus is on the element's control named `name`. */
async function tabTo(element: VrTourElement, name: string): Promise<void> {
  const focused = () => element.shadowRoot!.activeElement;
  const nameOf = (node: Element | null) => node?.getAttribute('aria-label') ?? node?.textContent?.trim() ?? '';
  for (let tries = 0; tries < 40 && nameOf(focused()) !== name; tries += 1) await sendKeys({ press: 'Tab' });
  equal(nameOf(focused()), name, 'focus on:');
}

describe('panels: scene title and scene strip', () => {
  afterEach(cleanup);

  it('shows the scene title; the strip is a list of scene buttons, the current one marked, usable by keyboard', async () => {
    const { rooms: all } = await rooms();
    const garden = all.find((room) => room.id === 'garden')!;
    const element = mount({ src: '/fixtures/tour.json' }, 480, 320);
    element.id = 'strip-tour';
    await nextEvent(element, 'load');
    await waitFor(() => element.shadowRoot!.querySelector('[part=scene-title]'), 'the title');
    let tree = await ariaSnapshot('#strip-tour');
    ok(tree.includes('- text: Lobby'), `the scene title:\n${tree}`);
    ok(/- button "Scenes"$/m.test(tree) && !element.shadowRoot!.querySelector('[part=scene-strip]'), `a folded strip on a small element:\n${tree}`);

    element.focus();
    await tabTo(element, 'Scenes');
    await sendKeys({ press: 'Enter' });
    await waitFor(() => element.shadowRoot!.querySelector('[part=scene-strip]'), 'the strip opened');
    tree = await ariaSnapshot('#strip-tour');
    ok(/- button "Scenes" \[expanded\]/.test(tree), `expanded:\n${tree}`);
    ok(/- list "Scenes":\s+- listitem:\s+- button "Lobby"/.test(tree), `a list of scene buttons:\n${tree}`);
    const current = element.shadowRoot!.querySelectorAll('[part=scene-strip] button[aria-current=true]');
    equal([...current].map((button) => button.textContent!.trim()).join(), 'Lobby', 'the current scene is marked:');

    await tabTo(element, 'Garden');
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    await sendKeys({ press: 'Enter' });
    equal((await change).detail.sceneId, garden.sceneId, 'Enter on a scene goes there:');
    await element.goTo(garden.sceneId); // resolves once drawn sharp
    await element.updateComplete;
    closeColor(await pixel(element, 240, 160), await expectedColor('garden', 0, 0), 28, 'the garden drawn:');
    tree = await ariaSnapshot('#strip-tour');
    ok(tree.includes('- text: Garden'), `the title follows:\n${tree}`);
    equal(element.shadowRoot!.querySelector('[part=scene-strip] button[aria-current=true]')?.textContent?.trim(), 'Garden', 'marked now:');
    equal(element.shadowRoot!.activeElement?.textContent?.trim(), 'Garden', 'the focus stays on the strip:');
  });

  it('a scene\'s description opens from its title', async () => {
    const element = mount({ src: '/fixtures/tour.json?described=1' }, 480, 320);
    element.id = 'about-tour';
    await nextEvent(element, 'load');
    const title = await waitFor(() => element.shadowRoot!.querySelector<HTMLElement>('button[part=scene-title]'), 'the title, a button');
    ok(/- button "Lobby"$/m.test(await ariaSnapshot('#about-tour')), 'named by the scene, folded');
    title.click();
    await element.updateComplete;
    const tree = await ariaSnapshot('#about-tour');
    ok(/- button "Lobby" \[expanded\]/.test(tree) && tree.includes('About the lobby: drawn by code'), `the description:\n${tree}`);
  });

  it('thumbnails show the middle of each scene at its initial view (pixels)', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 800, 480);
    await nextEvent(element, 'load');
    const strip = await waitFor(() => element.shadowRoot!.querySelector<HTMLElement>('[part=scene-strip]'), 'open on a large element');
    // The thumbnails are the scenes' previews: decoded once, they are drawn in the next frames.
    for (const thumb of strip.querySelectorAll<HTMLElement>('.thumb')) {
      const image = new Image();
      image.src = /url\("(.*)"\)/.exec(thumb.style.backgroundImage)![1]!;
      await image.decode();
    }
    await frames(3);
    for (const room of (await rooms()).rooms) {
      const button = [...strip.querySelectorAll('button')].find((candidate) => candidate.textContent!.trim() === room.name)!;
      const box = button.querySelector('.thumb')!.getBoundingClientRect();
      const [x, y] = [box.left + box.width / 2, box.top + box.height / 2];
      const seen = await screenPixel(x, y);
      closeColor(seen, await expectedColor(room.id, 0, 0), 48, `${room.name} thumbnail centre:`);
    }
  });
});
