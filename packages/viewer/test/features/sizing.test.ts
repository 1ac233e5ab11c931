import { equal, ok } from '../helpers/assert.js';
import { closeDemoPage, DESKTOP, openDemoPage, type DemoPage } from '../helpers/demo-page.js';
import { cleanup, nextEvent } from '../helpers/fixture.js';

describe('sizing', () => {
  let page: DemoPage | null = null;
  afterEach(async () => {
    await closeDemoPage(page);
    page = null;
    cleanup();
  });

  it('follows the page\'s aspect-ratio (the demo asks for 16/9), and the picture fills that box', async () => {
    page = await openDemoPage(DESKTOP);
    const { element } = page;
    const { width, height } = element.getBoundingClientRect();
    equal(`${Math.round(width)}x${Math.round(height)}`, `${Math.round(width)}x${Math.round((width * 9) / 16)}`, 'the tour box:');
    const canvas = element.shadowRoot!.querySelector<HTMLCanvasElement>('canvas.on:last-of-type') ?? element.shadowRoot!.querySelector('canvas')!;
    const shown = canvas.getBoundingClientRect();
    equal(`${Math.round(shown.width)}x${Math.round(shown.height)}`, `${Math.round(width)}x${Math.round(height)}`, 'the picture:');
  });

  it('takes a page\'s height, and without any a 16:9 box of its width', async () => {
    const holder = document.createElement('div');
    holder.style.width = '480px';
    document.body.append(holder);
    const bare = document.createElement('vr-tour');
    bare.setAttribute('src', '/fixtures/tour.json');
    bare.setAttribute('loading', 'eager');
    holder.append(bare);
    await nextEvent(bare, 'load');
    equal(`${bare.clientWidth}x${bare.clientHeight}`, '480x270', 'no size from the page:');
    bare.style.height = '200px';
    await bare.updateComplete;
    equal(bare.clientHeight, 200, 'the page\'s height:');
    bare.style.removeProperty('height');
    bare.style.aspectRatio = '2 / 1';
    ok(bare.clientHeight === 240, `the page's aspect-ratio: ${bare.clientHeight}`);
    holder.remove();
  });
});
