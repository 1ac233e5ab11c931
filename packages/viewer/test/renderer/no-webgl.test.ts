// WebGL is taken away before the element loads: this file must not share a page.
const getContext = HTMLCanvasElement.prototype.getContext;
HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
  return type.startsWith('webgl') ? null : (getContext as (...args: unknown[]) => unknown).call(this, type, ...rest);
} as typeof getContext;

import { equal, ok } from '../helpers/assert.js';
import { cleanup, mount, nextEvent } from '../helpers/fixture.js';

describe('renderer: WebGL unavailable', () => {
  after(cleanup);

  it('shows a message, keeps the preview and fires error', async () => {
    const element = mount({ src: '/fixtures/tour.json' }, 400, 300);
    const event = await nextEvent<CustomEvent>(element, 'error');
    equal(event.detail.reason, 'webgl-unavailable');
    await element.updateComplete;
    const message = element.shadowRoot!.querySelector('[part=error]');
    ok(message?.textContent?.includes('WebGL'), 'message names the problem');
    const preview = element.shadowRoot!.querySelector<HTMLElement>('[part=preview]')!;
    ok(preview.style.backgroundImage.startsWith('url("data:image/jpeg'), 'the preview stays');
  });
});
