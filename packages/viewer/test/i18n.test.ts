import { registerStrings } from '../src/vr-tour.js';
import { equal, ok } from './helpers/assert.js';
import { cleanup, mount, nextEvent } from './helpers/fixture.js';

describe('i18n', () => {
  afterEach(cleanup);

  it('uses strings registered for a language, falling back to English key by key', async () => {
    registerStrings('it', { 'not-found': 'Questo tour non esiste.', roledescription: 'visore di tour 360°' });
    const element = mount({ src: '/fixtures/no-such-tour.json', lang: 'it-IT', controls: '' }, 400, 300);
    await nextEvent(element, 'error');
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('[part=error]')!.textContent, 'Questo tour non esiste.');
    equal(element.getAttribute('aria-roledescription'), 'visore di tour 360°');
    ok(element.shadowRoot!.querySelector('[part=control][aria-label="Share"]'), 'English where Italian has no string');
  });

  it('takes the language of the closest lang attribute when it has none', async () => {
    const section = document.createElement('section');
    section.lang = 'de';
    document.body.append(section);
    const element = mount({ src: '/fixtures/no-such-tour.json' }, 400, 300, section);
    await nextEvent(element, 'error');
    await element.updateComplete;
    ok(/existiert nicht/.test(element.shadowRoot!.querySelector('[part=error]')!.textContent ?? ''), 'German message');
    section.remove();
  });
});
