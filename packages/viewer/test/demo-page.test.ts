import { resetMouse, sendMouse } from '@web/test-runner-commands';
import type { VrTourElement } from '../src/vr-tour.js';
import { equal, ok } from './helpers/assert.js';
import { closeDemoPage, DESKTOP, openDemoPage, PHONE, spotNamed, tap, type DemoPage } from './helpers/demo-page.js';
import { executeServerCommand, frames, sleep } from './helpers/fixture.js';

interface AxeResult {
  violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> }>;
}

const centreOf = (node: Element) => {
  const rect = node.getBoundingClientRect();
  return { x: Math.round(rect.left + rect.width / 2), y: Math.round(rect.top + rect.height / 2) };
};

/** axe-core, run in the demo page's own window (shadow roots included). */
async function axe(page: DemoPage): Promise<AxeResult> {
  const script = page.doc.createElement('script');
  script.src = '/fixtures/axe.js';
  const ready = new Promise((resolve) => script.addEventListener('load', resolve, { once: true }));
  page.doc.head.append(script);
  await ready;
  return (page.win as unknown as { axe: { run(context: Document): Promise<AxeResult> } }).axe.run(page.doc);
}

const serious = (result: AxeResult) =>
  result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${JSON.stringify(violation.nodes.map((node) => node.target))}`);

describe('the demo page', () => {
  let page: DemoPage | null = null;
  afterEach(async () => {
    await resetMouse();
    await closeDemoPage(page);
    page = null;
  });

  it('axe-core finds no serious or critical violation, with the tour shown and with an info card open', async () => {
    page = await openDemoPage(DESKTOP);
    equal(serious(await axe(page)).join('\n'), '', 'violations:');
    spotNamed(page.element, 'Welcome').click();
    for (let tries = 0; tries < 100 && !page.element.shadowRoot!.querySelector('[part~=popover]'); tries += 1) await sleep(50);
    equal(serious(await axe(page)).join('\n'), '', 'violations with the card open:');
  });

  for (const [device, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    it(`screenshots on a ${device} (${viewport.width}x${viewport.height}): the tour with its controls, a hotspot label, an info card`, async () => {
      page = await openDemoPage(viewport, device === 'phone');
      const { element } = page;
      element.scrollIntoView({ block: 'center' });
      await frames(4);
      ok(element.shadowRoot!.querySelector('[part=controls]'), 'the controls are shown');
      ok(await executeServerCommand('save-screenshot', `${device}-tour`), 'screenshot');
      const welcome = spotNamed(element, 'Welcome');
      if (device === 'desktop') {
        const door = spotNamed(element, 'Go to the Gallery') ?? welcome;
        element.lookAt(70);
        await frames(4);
        const { x, y } = centreOf(door);
        await sendMouse({ type: 'move', position: [x, y] });
      } else {
        welcome.focus();
      }
      await sleep(300);
      ok(await executeServerCommand('save-screenshot', `${device}-label`), 'screenshot');
      await resetMouse();
      element.lookAt(0);
      await frames(4);
      if (device === 'phone') await tap(centreOf(welcome));
      else welcome.click();
      for (let tries = 0; tries < 100 && !element.shadowRoot!.querySelector('[part~=popover]'); tries += 1) await sleep(50);
      await frames(4);
      ok(element.shadowRoot!.querySelector('[part~=popover]'), 'the card is open');
      ok(await executeServerCommand('save-screenshot', `${device}-card`), 'screenshot');
    });
  }
});
