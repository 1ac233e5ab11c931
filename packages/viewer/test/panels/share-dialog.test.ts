import { sendKeys } from '@web/test-runner-commands';
import type { ShareEvent } from '../../src/events.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import { equal, ok } from '../helpers/assert.js';
import { ariaSnapshot, cleanup, mount, nextEvent, rooms, sleep, waitFor } from '../helpers/fixture.js';

/** What the page copied: the Clipboard API, recorded (headless Chromium has no system clipboard to read back). */
const copied: string[] = [];
Object.defineProperty(navigator, 'clipboard', { value: { writeText: async (text: string) => void copied.push(text) }, configurable: true });

async function openDialog(element: VrTourElement): Promise<HTMLElement> {
  const button = element.shadowRoot!.querySelector<HTMLElement>('[part=control][aria-label=Share]');
  ok(button, 'a share button');
  button.focus();
  await sendKeys({ press: 'Enter' });
  return waitFor(() => element.shadowRoot!.querySelector<HTMLElement>('[part=share-dialog]'), 'the share dialog opened');
}

const buttonNamed = (root: ParentNode, name: string) =>
  [...root.querySelectorAll<HTMLButtonElement>('button')].find((button) => button.textContent!.trim() === name)!;

async function sharesLogged(testCase: string, count: number): Promise<Array<{ type: string; channel?: string; sceneId?: string }>> {
  let events: Array<{ type: string; channel?: string }> = [];
  for (let tries = 0; tries < 100; tries += 1) {
    const log: Array<{ body: string }> = await (await fetch(`/collect/log?case=${testCase}`)).json();
    events = log.flatMap((record) => JSON.parse(record.body).events).filter((event: { type: string }) => event.type === 'share');
    if (events.length >= count) break;
    await sleep(100);
  }
  return events;
}

describe('share dialog', () => {
  afterEach(() => {
    cleanup();
    copied.length = 0;
    document.querySelector('link[rel=canonical]')?.remove();
    delete (navigator as { share?: unknown }).share;
  });

  it('copies a deep link to the view and the embed code, says so to screen readers, and records each channel', async () => {
    const { tourId, rooms: all } = await rooms();
    const garden = all.find((room) => room.id === 'garden')!;
    const collector = encodeURIComponent('/collect?case=share-dialog');
    const element = mount({ src: `/fixtures/tour.json?collector=${collector}`, controls: '', scene: garden.sceneId }, 640, 480);
    element.id = 'shared';
    await nextEvent(element, 'load');
    // Wider than the narrowest sharp view of the fixture's levels at 640 px (about 89°), so it is kept as asked.
    element.lookAt(45, 10, 100);
    const dialog = await openDialog(element);
    equal(element.shadowRoot!.activeElement?.textContent?.trim(), 'Copy link', 'focus moves into the dialog, on its first action:');

    const shared = nextEvent<ShareEvent>(element, 'share');
    await sendKeys({ press: 'Enter' });
    const link = `${location.href.split('#')[0]}#vr-tour=${tourId}/${garden.sceneId}/45.0/10.0/100`;
    equal(copied[0], link, 'the link copied:');
    equal((await shared).detail.channel, 'copy');
    const tree = await ariaSnapshot('#shared');
    ok(/- dialog "Share this view"/.test(tree), `a dialog named by its heading:\n${tree}`);
    ok(/- status: Link copied/.test(tree), `the status line says it:\n${tree}`);

    buttonNamed(dialog, 'Copy embed code').click();
    await waitFor(() => copied.length === 2, 'the embed code copied');
    const origin = location.origin;
    ok(
      copied[1]!.startsWith(`<iframe src="${origin}/embed/${tourId}?scene=${garden.sceneId}&amp;yaw=45.0&amp;pitch=10.0&amp;fov=100"`),
      `iframe code: ${copied[1]}`,
    );
    ok(copied[1]!.includes('allow="fullscreen; gyroscope; accelerometer; xr-spatial-tracking"'), 'the allow list');
    ok(/- status: Embed code copied/.test(await ariaSnapshot('#shared')), 'the status line says so');

    dialog.querySelectorAll<HTMLInputElement>('input[type=radio]')[1]!.click();
    await element.updateComplete;
    buttonNamed(dialog, 'Copy embed code').click();
    await waitFor(() => copied.length === 3, 'the tags copied');
    equal(
      copied[2],
      `<script type="module" src="${origin}/vr-tour.js"></script>\n` +
        `<vr-tour src="${origin}/fixtures/tour.json?collector=${collector}" scene="${garden.sceneId}" yaw="45.0" pitch="10.0" fov="100"></vr-tour>`,
      'the two tags:',
    );

    const events = await sharesLogged('share-dialog', 3);
    equal(events.map((event) => event.channel).join(), 'copy,embed,embed', 'share events sent:');
    ok(events.every((event) => event.sceneId === garden.sceneId), 'with the scene');

    await sendKeys({ press: 'Escape' });
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('[part=share-dialog]'), null, 'Escape closes it');
    equal(element.shadowRoot!.activeElement?.getAttribute('aria-label'), 'Share', 'the focus is back on the share button:');
  });

  it('the link is the page\'s canonical URL (the share page, on the iframe page) with the view, and the system share sheet is offered', async () => {
    const { tourId, rooms: all } = await rooms();
    const canonical = document.createElement('link');
    canonical.rel = 'canonical';
    canonical.href = `https://tours.example.com/t/${tourId}`;
    document.head.append(canonical);
    const sheets: ShareData[] = [];
    Object.defineProperty(navigator, 'share', { value: async (data: ShareData) => void sheets.push(data), configurable: true });
    const element = mount({ src: '/fixtures/tour.json', controls: '' }, 640, 480);
    element.id = 'own-page';
    await nextEvent(element, 'load');
    element.lookAt(-30, 0, 100);
    const link = `https://tours.example.com/t/${tourId}#vr-tour=${tourId}/${all[0]!.sceneId}/-30.0/0.0/100`;
    equal(element.shareUrl(), link, 'shareUrl():');
    const dialog = await openDialog(element);
    ok(/- button "Share…"/.test(await ariaSnapshot('#own-page')), 'the system share sheet is offered');
    const shared = nextEvent<ShareEvent>(element, 'share');
    buttonNamed(dialog, 'Share…').click();
    const event = await shared;
    equal(`${event.detail.channel} ${event.detail.url}`, `native ${link}`, 'shared through the sheet:');
    equal(sheets[0]?.url, link);
  });
});
