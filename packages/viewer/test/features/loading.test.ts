import type { TourErrorEvent } from '../../src/events.js';
import { equal, ok } from '../helpers/assert.js';
import { cleanup, mount, nextEvent, sleep } from '../helpers/fixture.js';

describe('loading', () => {
  afterEach(cleanup);

  it('a 404 src shows the error state and fires error (not-found)', async () => {
    const element = mount({ src: '/fixtures/no-such-tour.json' }, 400, 300);
    const event = await nextEvent<TourErrorEvent>(element, 'error');
    equal(event.detail.reason, 'not-found');
    await element.updateComplete;
    const message = element.shadowRoot!.querySelector('[part=error]');
    ok(message && message.getAttribute('role') === 'alert', 'an alert is shown');
    ok(/does not exist/.test(message.textContent ?? ''), 'with a clear message');
  });

  it('a malformed tour id (400) is reported as a bad tour link, not as a connection problem', async () => {
    const element = mount({ src: '/fixtures/bad-id.json' }, 400, 300);
    const event = await nextEvent<TourErrorEvent>(element, 'error');
    await element.updateComplete;
    const message = element.shadowRoot!.querySelector('[part=error]')?.textContent ?? '';
    equal(event.detail.reason, 'bad-id', `reason (message shown: "${message}"):`);
    ok(!/connection/i.test(message) && /not valid/i.test(message), `the message: ${message}`);
  });

  it('shows the first panorama\'s download progress while it loads', async () => {
    const element = mount({ src: '/fixtures/tour.json?slow=1&levels=2048' }, 400, 300);
    const seen = new Set<string>();
    const loaded = nextEvent(element, 'load', 25000);
    let done = false;
    void loaded.then(() => (done = true));
    while (!done) {
      // A <progress>: a progressbar in the accessibility tree, its value the percentage.
      const bar = element.shadowRoot!.querySelector<HTMLProgressElement>('[part=loading] progress');
      const text = element.shadowRoot!.querySelector('[part=loading]')?.textContent?.trim();
      if (bar) seen.add(`${bar.hasAttribute('value') ? Math.round(bar.value) : 'stage'}% ${text}`);
      await sleep(20);
    }
    const partial = [...seen].filter((entry) => /^([1-9]|[1-9]\d)%/.test(entry));
    ok(partial.length >= 2, `progress values between 0 and 100 were shown: ${[...seen].join(' | ')}`);
    const shownInText = (entry: string) => entry.slice(entry.indexOf(' ') + 1).includes(`${entry.split('%')[0]}%`);
    ok(partial.every(shownInText), `the text shows the percentage: ${partial.join(' | ')}`);
  });

  it('a failing panorama image shows the error state and fires error (image)', async () => {
    const element = mount({ src: '/fixtures/tour.json?badimage=1' }, 400, 300);
    const event = await nextEvent<TourErrorEvent>(element, 'error');
    equal(event.detail.reason, 'image');
    await element.updateComplete;
    ok(element.shadowRoot!.querySelector('[part=error]'), 'message shown');
  });

  it('shows the inline preview at once, before the renderer draws', async () => {
    const element = mount({ src: '/fixtures/tour.json', loading: 'lazy' }, 400, 300);
    element.style.marginTop = '5000px'; // far away: lazy, so no renderer work
    await element.updateComplete;
    const preview = element.shadowRoot!.querySelector<HTMLElement>('[part=preview]')!;
    for (let tries = 0; tries < 100 && !preview.style.backgroundImage; tries += 1) await sleep(50); // the tour document arrives
    ok(preview.style.backgroundImage.includes('data:image/jpeg'), 'preview painted');
    equal(element.shadowRoot!.querySelector('canvas')!.classList.contains('on'), false, 'canvas not shown yet');
  });

  it('uses the localized strings of lang', async () => {
    const element = mount({ src: '/fixtures/no-such-tour.json', lang: 'fr' }, 400, 300);
    await nextEvent(element, 'error');
    await element.updateComplete;
    ok(/n’existe pas/.test(element.shadowRoot!.querySelector('[part=error]')!.textContent ?? ''), 'French message');
    equal(element.getAttribute('role'), 'application');
    equal(element.getAttribute('aria-roledescription'), 'visionneuse de visite 360°');
  });
});
