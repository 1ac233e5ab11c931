import { resetMouse, sendKeys, sendMouse } from '@web/test-runner-commands';
import type { VrTourElement } from '../../src/vr-tour.js';
import { project } from '../../src/math.js';
import { below, equal, ok } from '../helpers/assert.js';
import { closeDemoPage, demoAriaSnapshot, DESKTOP, luminance, openDemoPage, PHONE, screenPixels, spotNamed, tap, type DemoPage } from '../helpers/demo-page.js';
import { frames, sleep } from '../helpers/fixture.js';

const cardOf = async (element: VrTourElement): Promise<HTMLElement | null> => {
  const find = () => element.shadowRoot!.querySelector<HTMLElement>('[part~=popover]');
  for (let tries = 0; tries < 100 && !find(); tries += 1) await sleep(50);
  await frames(3);
  return find();
};

const centre = (rect: DOMRect) => ({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 });
/** The distance between two boxes (0 when they touch or overlap). */
const gap = (a: DOMRect, b: DOMRect) =>
  Math.hypot(Math.max(0, a.left - b.right, b.left - a.right), Math.max(0, a.top - b.bottom, b.top - a.bottom));
const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
const inside = (inner: DOMRect, outer: DOMRect) =>
  inner.left >= outer.left - 0.5 && inner.top >= outer.top - 0.5 && inner.right <= outer.right + 0.5 && inner.bottom <= outer.bottom + 0.5;

describe('hotspot labels and cards', () => {
  let page: DemoPage | null = null;
  afterEach(async () => {
    await resetMouse();
    await closeDemoPage(page);
    page = null;
  });

  it('the demo\'s "Opening hours" hotspot sits on its anchor and, activated, shows the hours in a dialog', async () => {
    page = await openDemoPage(DESKTOP);
    const { element } = page;
    element.lookAt(-70, 0, 90);
    await frames(4);
    const spot = spotNamed(element, 'Opening hours');
    ok(spot, 'the hotspot is there');
    const hotspot = element.currentScene!.hotspots.find((candidate) => candidate.title === 'Opening hours')!;
    const box = element.getBoundingClientRect();
    const [x, y] = project(element.getView(), hotspot.yaw, hotspot.pitch, box.width, box.height)!;
    const at = centre(spot.getBoundingClientRect());
    below(Math.hypot(at.x - box.left - x, at.y - box.top - y), 3, 'the marker centre is off its anchor by (px)');
    spot.focus();
    await sendKeys({ press: 'Enter' });
    const card = await cardOf(element);
    ok(card, 'activating it opens a card');
    const tree = await demoAriaSnapshot();
    ok(/dialog "Opening hours"/.test(tree) && /Mon-Fri/.test(tree) && /09:00/.test(tree), `the hours in the accessibility tree:\n${tree}`);
  });

  it('on a 390 px phone an info card is wide, inside the tour, beside its hotspot, follows it, and closes on a tap outside', async () => {
    page = await openDemoPage(PHONE, true);
    const { element } = page;
    const box = element.getBoundingClientRect();
    const welcome = spotNamed(element, 'Welcome');
    await tap(centre(welcome.getBoundingClientRect()));
    const card = await cardOf(element);
    ok(card, 'a tap opens the card');
    let rect = card.getBoundingClientRect();
    ok(rect.width >= Math.min(300, box.width - 24), `the card is ${Math.round(rect.width)} px wide in a ${Math.round(box.width)} px tour`);
    ok(inside(rect, box), `the card ${JSON.stringify(rect)} stays inside the tour ${JSON.stringify(box)}`);
    ok(!overlap(rect, welcome.getBoundingClientRect()), 'the card covers its own hotspot');
    below(gap(rect, welcome.getBoundingClientRect()), 16, 'the card is away from its hotspot by (px)');
    // Turning the view: the card goes with its hotspot, still beside it, still inside.
    element.lookAt(element.getView().yaw + 8, element.getView().pitch + 6);
    await frames(4);
    rect = card.getBoundingClientRect();
    const moved = welcome.getBoundingClientRect();
    ok(!overlap(rect, moved) && inside(rect, box), 'after turning, the card is beside its hotspot and inside the tour');
    below(gap(rect, moved), 16, 'after turning, the card is away from its hotspot by (px)');
    // A tap on the picture outside the card (not on a panel or a control) closes it.
    const roomAbove = rect.top - box.top > box.bottom - rect.bottom;
    const y = roomAbove ? box.top + 16 : box.bottom - 16;
    const onPicture = (x: number) => {
      const top = element.shadowRoot!.elementFromPoint(x, y);
      return !top?.closest('button, a, [part~=popover], [part~=controls], [part~=dock], [part~=scene-title]');
    };
    const x = [box.left + 16, box.left + box.width / 2, box.right - 16].find(onPicture);
    ok(x !== undefined, 'a point on the picture outside the card');
    await tap({ x: x!, y });
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('[part~=popover]'), null, 'a tap outside closed the card:');
  });

  it('hovering a hotspot shows its label (drawn, not the native tooltip)', async () => {
    page = await openDemoPage(DESKTOP);
    const { element } = page;
    const welcome = spotNamed(element, 'Welcome');
    equal(welcome.hasAttribute('title'), false, 'a native tooltip (title):');
    const spot = welcome.getBoundingClientRect();
    const area = () => screenPixels(spot.left - 40, spot.top - 40, spot.width + 80, 38);
    const plain = await area();
    await sendMouse({ type: 'move', position: [Math.round(centre(spot).x), Math.round(centre(spot).y)] });
    await frames(4);
    await sleep(250); // the label's fade-in
    const hovered = await area();
    let changed = 0;
    hovered.forEach((row, y) => row.forEach((pixel, x) => (changed += Math.abs(luminance(pixel) - luminance(plain[y]![x]!)) > 40 ? 1 : 0)));
    ok(changed > 60, `the label drew ${changed} changed pixels above the hotspot`);
    const tree = await demoAriaSnapshot();
    equal((tree.match(/Welcome/g) ?? []).length, 1, 'the label is not read twice:');
  });

  it('navigation hotspots show an arrow pointing the way the door is on screen', async () => {
    page = await openDemoPage(DESKTOP);
    const { element } = page;
    const box = element.getBoundingClientRect();
    const white = (pixel: number[]) => pixel[0]! > 200 && pixel[1]! > 200 && pixel[2]! > 200;
    for (const yaw of [60, 120]) {
      element.lookAt(yaw, 0, 90);
      await frames(4);
      const spot = spotNamed(element, 'Go to the Gallery').getBoundingClientRect();
      const c = centre(spot);
      // The way to the door on screen: from the visitor's feet (bottom centre) to the marker.
      const way = Math.atan2(c.x - (box.left + box.width / 2), box.bottom - c.y);
      // The arrow is a notched arrowhead: its white pixels weigh towards its base, away from its tip.
      const radius = spot.width * 0.3;
      const pixels = await screenPixels(c.x - radius, c.y - radius, 2 * radius, 2 * radius);
      let [sx, sy, n] = [0, 0, 0];
      pixels.forEach((row, y) => row.forEach((pixel, x) => {
        if (white(pixel) && Math.hypot(x - radius, y - radius) < radius) [sx, sy, n] = [sx + x - radius, sy + y - radius, n + 1];
      }));
      ok(n > 20, `an arrow is drawn (${n} white pixels)`);
      const pointing = Math.atan2(-sx / n, sy / n); // tip direction: opposite the weight, screen up = 0
      const off = Math.abs(((pointing - way + 3 * Math.PI) % (2 * Math.PI)) - Math.PI);
      below(off * (180 / Math.PI), 30, `view yaw ${yaw}: arrow off the door's direction by (degrees)`);
    }
  });
});
