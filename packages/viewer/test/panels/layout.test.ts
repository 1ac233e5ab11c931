import { sendKeys } from '@web/test-runner-commands';
import type { VrTourElement } from '../../src/vr-tour.js';
import { ok } from '../helpers/assert.js';
import { cleanup, executeServerCommand, frames, mount, nextEvent, waitFor } from '../helpers/fixture.js';

// Lays the panels out at desktop and phone sizes, checks that they stay inside the element without
// covering one another, and saves screenshots to .test-results/screenshots/viewer/ for people to look at.

const PANELS = ['.top', '.dock', '.strip', '.corner', '.bar', '.share'];

/** Every panel shown lies inside the element, and no two overlap. */
function checkLayout(element: VrTourElement, what: string): void {
  const host = element.getBoundingClientRect();
  const boxes = PANELS.flatMap((selector) => {
    const panel = element.shadowRoot!.querySelector<HTMLElement>(selector);
    const box = panel?.getBoundingClientRect();
    return box && box.width > 0 ? [{ selector, box }] : [];
  });
  for (const { selector, box } of boxes) {
    ok(box.left >= host.left - 0.5 && box.top >= host.top - 0.5 && box.right <= host.right + 0.5 && box.bottom <= host.bottom + 0.5,
      `${what}: ${selector} (${Math.round(box.left)},${Math.round(box.top)} ${Math.round(box.width)}x${Math.round(box.height)}) leaves the element`);
  }
  // The share dialog covers the other panels on purpose, as a dialog does.
  const panels = boxes.filter(({ selector }) => selector !== '.share');
  for (const [index, { selector, box }] of panels.entries()) {
    for (const other of panels.slice(index + 1)) {
      const overlap = box.left < other.box.right && other.box.left < box.right && box.top < other.box.bottom && other.box.top < box.bottom;
      const at = (rect: DOMRect) => `${Math.round(rect.left)},${Math.round(rect.top)} ${Math.round(rect.width)}x${Math.round(rect.height)}`;
      ok(!overlap, `${what}: ${selector} (${at(box)}) overlaps ${other.selector} (${at(other.box)})`);
    }
  }
}

async function tour(attributes: Record<string, string>, width: number, height: number): Promise<VrTourElement> {
  const element = mount({ src: '/fixtures/tour.json?plans=1&branding=1&media=1&autoplay=1&described=1', controls: '', ...attributes }, width, height);
  await nextEvent(element, 'load');
  await waitFor(() => element.shadowRoot!.querySelector('.top'), 'the panels loaded');
  // The floor plan image and thumbnails have arrived.
  await waitFor(() => [...element.shadowRoot!.querySelectorAll('img')].every((image) => image.complete), 'images loaded');
  await frames(3);
  return element;
}

async function openShare(element: VrTourElement): Promise<void> {
  element.shadowRoot!.querySelector<HTMLElement>('[part=control][aria-label=Share]')!.focus();
  await sendKeys({ press: 'Enter' });
  await waitFor(() => element.shadowRoot!.querySelector('[part=share-dialog]'), 'the share dialog');
  await frames(2);
}

const shot = (name: string) => executeServerCommand('save-screenshot', name);

describe('panels: layout at desktop and phone sizes', () => {
  before(() => {
    document.body.style.margin = '0';
  });
  afterEach(cleanup);

  it('desktop 1280x800: title and logo, scene strip, floor plan with compass, share dialog', async () => {
    await executeServerCommand('viewport', { width: 1280, height: 800 });
    const element = await tour({}, 1280, 720);
    checkLayout(element, 'desktop');
    await shot('desktop-panels');
    element.shadowRoot!.querySelector<HTMLElement>('button[part=scene-title]')!.click();
    await element.updateComplete;
    checkLayout(element, 'desktop, description open');
    await openShare(element);
    checkLayout(element, 'desktop, sharing');
    await shot('desktop-share');
  });

  it('desktop with branding="off": no logo, colours or credit', async () => {
    await executeServerCommand('viewport', { width: 1280, height: 800 });
    const element = await tour({ branding: 'off' }, 1280, 720);
    checkLayout(element, 'unbranded');
    await shot('desktop-unbranded');
  });

  it('phone 390x844, the tour full window: panels folded, then the strip and the share dialog', async () => {
    await executeServerCommand('viewport', { width: 390, height: 844 });
    const element = await tour({}, 390, 844);
    checkLayout(element, 'phone');
    await shot('phone-panels');
    const toggle = [...element.shadowRoot!.querySelectorAll<HTMLElement>('.dock button')].find((button) => button.textContent!.includes('Scenes'))!;
    toggle.click();
    element.shadowRoot!.querySelector<HTMLElement>('.map button')!.click();
    await element.updateComplete;
    await waitFor(() => [...element.shadowRoot!.querySelectorAll('img')].every((image) => image.complete), 'images loaded');
    await frames(3);
    checkLayout(element, 'phone, strip and plan open');
    await shot('phone-strip-plan');
    await openShare(element);
    await shot('phone-share');
  });

  it('phone 390x844, the tour embedded in a page at 16:9', async () => {
    await executeServerCommand('viewport', { width: 390, height: 844 });
    const element = await tour({}, 358, 201);
    checkLayout(element, 'phone, embedded');
    await shot('phone-embedded');
  });
});
