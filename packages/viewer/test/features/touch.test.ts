import { equal, ok } from '../helpers/assert.js';
import { closeDemoPage, demoAriaSnapshot, openDemoPage, PHONE, swipe, tap, type DemoPage, type Point } from '../helpers/demo-page.js';
import { frames } from '../helpers/fixture.js';

describe('touch on a page that scrolls', () => {
  let page: DemoPage | null = null;
  afterEach(async () => {
    await closeDemoPage(page);
    page = null;
  });

  it('one finger scrolls the page past the tour, with a hint; two fingers turn it; after a tap, one finger does', async () => {
    page = await openDemoPage(PHONE, true);
    const { element, win } = page;
    // A spot of the picture with no hotspot on it: the left part, a third of the way down.
    const free = (): Point => {
      const box = element.getBoundingClientRect();
      return { x: box.left + box.width * 0.15, y: box.top + box.height * 0.35 };
    };
    const view = () => element.getView();
    const start = view();
    const scrolled = win.scrollY;
    await swipe([free()], 0, -120);
    await frames(3);
    ok(win.scrollY > scrolled + 40, `a one-finger swipe up scrolled the page by ${win.scrollY - scrolled} px`);
    equal(`${view().yaw}/${view().pitch}`, `${start.yaw}/${start.pitch}`, 'the view did not turn:');
    ok(/two fingers/i.test(await demoAriaSnapshot()), `a hint tells how to turn the view:\n${await demoAriaSnapshot()}`);

    const here = win.scrollY;
    // On the ceiling, left of the middle: both fingers clear of the first view's hotspots and panels.
    const box = element.getBoundingClientRect();
    const p = { x: box.left + box.width * 0.4, y: box.top + box.height * 0.2 };
    await swipe([p, { x: p.x + 60, y: p.y }], -80, 0);
    await frames(3);
    ok(Math.abs(view().yaw - start.yaw) > 5, `two fingers turned the view (yaw ${start.yaw} -> ${view().yaw})`);
    ok(Math.abs(win.scrollY - here) < 2, `two fingers did not scroll the page (${here} -> ${win.scrollY})`);

    await tap(free());
    const before = view();
    const still = win.scrollY;
    await swipe([free()], 0, -80);
    await frames(3);
    ok(Math.abs(view().pitch - before.pitch) > 5, `after a tap, one finger turned the view (pitch ${before.pitch} -> ${view().pitch})`);
    ok(Math.abs(win.scrollY - still) < 2, `after a tap, the page did not scroll (${still} -> ${win.scrollY})`);
  });
});
