// Watches which modules the page fetches from its start: this file must not share a page.
import { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok } from '../helpers/assert.js';
import { cleanup, expectedColor, mount, nextEvent, pixel, sleep } from '../helpers/fixture.js';

performance.setResourceTimingBufferSize(10_000);
const fetched = (part: string) => performance.getEntriesByType('resource').some((entry) => entry.name.includes(part));

describe('loading="lazy"', () => {
  after(cleanup);

  it('loads the renderer and three.js only when the element nears the viewport', async () => {
    const far = document.createElement('div');
    far.style.marginTop = '6000px';
    document.body.append(far);
    const element = mount({ src: '/fixtures/tour.json', loading: 'lazy' }, 400, 300, far);
    for (let tries = 0; tries < 100 && !fetched('/fixtures/tour.json'); tries += 1) await sleep(50);
    ok(fetched('/fixtures/tour.json'), 'the tour document loads at once');
    await sleep(500);
    equal(fetched('/src/renderer/renderer'), false, 'renderer chunk fetched while far away:');
    equal(fetched('/three/'), false, 'three.js fetched while far away:');
    equal(fetched('/fixtures/pano/'), false, 'panorama fetched while far away:');
    equal(VrTourElement.rendererStats(), null, 'renderer made while far away:');
    await element.updateComplete;
    const preview = element.shadowRoot!.querySelector<HTMLElement>('[part=preview]')!;
    ok(preview.style.backgroundImage.includes('data:image/jpeg'), 'the inline preview shows meanwhile');

    const load = nextEvent(element, 'load', 40000);
    element.scrollIntoView();
    await load;
    ok(fetched('/src/renderer/renderer') && fetched('/three/'), 'renderer and three.js loaded once near');
    closeColor(await pixel(element, 200, 150), await expectedColor('lobby', 0, 0), 28, 'drawn:');
  });
});
