import type { ViewChangeEvent } from '../../src/events.js';
import { equal, ok } from '../helpers/assert.js';
import { cleanup, executeServerCommand, mount, nextEvent, sleep } from '../helpers/fixture.js';

describe('visual', () => {
  after(cleanup);

  it('shows hotspots, the control bar and an info popover (screenshot in /tmp/vr-tour-ui.png)', async () => {
    const element = mount({ src: '/fixtures/tour.json', controls: '', yaw: '45', fov: '100' }, 640, 360);
    await nextEvent(element, 'load');
    const change = nextEvent<ViewChangeEvent>(element, 'view-change');
    element.lookAt(40);
    equal((await change).detail.yaw, 40, 'view-change yaw:');
    element.shadowRoot!.querySelector<HTMLElement>('[aria-label=Welcome]')!.click();
    await sleep(300);
    ok(await executeServerCommand('screenshot', 'ui'), 'screenshot taken');
    ok(element.shadowRoot!.querySelectorAll('[part=controls] button').length >= 3, 'control bar');
  });
});
