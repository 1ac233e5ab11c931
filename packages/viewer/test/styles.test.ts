import { equal } from './helpers/assert.js';
import { cleanup, mount, nextEvent } from './helpers/fixture.js';

describe('theming', () => {
  after(() => {
    cleanup();
    document.getElementById('theme')?.remove();
  });

  it('takes --vr-tour-* custom properties and ::part() rules from the page', async () => {
    const sheet = document.createElement('style');
    sheet.id = 'theme';
    sheet.textContent = `
      vr-tour.themed { --vr-tour-accent: rgb(1, 2, 3); --vr-tour-height: 222px; }
      vr-tour.themed::part(hotspot) { border-color: rgb(4, 5, 6); }
      vr-tour.themed::part(controls) { left: 7px; }`;
    document.head.append(sheet);
    const element = mount({ src: '/fixtures/tour.json', controls: '', class: 'themed' }, 400, 300);
    element.style.removeProperty('height');
    await nextEvent(element, 'load');
    const spot = element.shadowRoot!.querySelector<HTMLElement>('[part~=hotspot]')!;
    equal(getComputedStyle(spot).backgroundColor, 'rgb(1, 2, 3)', 'accent:');
    equal(getComputedStyle(spot).borderTopColor, 'rgb(4, 5, 6)', '::part(hotspot):');
    equal(getComputedStyle(element.shadowRoot!.querySelector('[part=controls]')!).left, '7px', '::part(controls):');
    equal(element.clientHeight, 222, '--vr-tour-height:');
  });
});
