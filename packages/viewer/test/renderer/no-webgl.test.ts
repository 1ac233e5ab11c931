// WebGL is taken away before the element loads: this file must not share a page.
const getContext = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
  return type.startsWith('webgl') ? null : (getContext as (...args: unknown[]) => unknown).call(this, type, ...rest);
} as typeof getContext;

import { equal, ok } from '../helpers/assert.js';
import { cleanup, mount, nextEvent, sleep } from '../helpers/fixture.js';

describe('renderer: WebGL unavailable', () => {
  after(cleanup);

  it('shows a message, keeps the preview and fires error', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    const reasons: string[] = [];
    element.addEventListener('error', (event) => reasons.push((event as CustomEvent).detail.reason));
    const event = await nextEvent<CustomEvent>(element, 'error');
    equal(event.detail.reason, 'webgl-unavailable');
    // The panorama downloads meanwhile: once decoded, its upload must not report a second, vaguer error.
    const fetched = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/fixtures/pano/'));
    for (let tries = 0; tries < 100 && !fetched(); tries += 1) await sleep(100);
    ok(fetched(), 'the panorama was fetched');
    await sleep(500);
    equal(reasons.join(), 'webgl-unavailable', 'error events:');
    await element.updateComplete;
    const message = element.shadowRoot!.querySelector('[part=error]');
    ok(message?.textContent?.includes('WebGL'), 'message names the problem');
    const preview = element.shadowRoot!.querySelector<HTMLElement>('[part=preview]')!;
    ok(preview.style.backgroundImage.startsWith('url("data:image/jpeg'), 'the preview stays');
  });
});
