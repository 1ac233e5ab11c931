import { sendKeys } from '@web/test-runner-commands';
import type { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok, type Rgb } from '../helpers/assert.js';
import { ariaSnapshot, cleanup, frames, mount, nextEvent, rooms, waitFor } from '../helpers/fixture.js';

const hex = (color: string): Rgb => [1, 3, 5].map((at) => parseInt(color.slice(at, at + 2), 16)) as Rgb;

/** The colour of the Welcome hotspot's disc, as its style resolves it. */
async function hotspotColor(element: VrTourElement): Promise<Rgb> {
  const spot = element.shadowRoot!.querySelector<HTMLElement>('.spot[aria-label=Welcome]')!;
  return getComputedStyle(spot).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number) as Rgb;
}

async function branded(attributes: Record<string, string>): Promise<VrTourElement> {
  const element = mount({ src: '/fixtures/tour.json?branding=1&media=1', controls: '', ...attributes }, 640, 400);
  element.id = 'brand-tour';
  await nextEvent(element, 'load');
  await waitFor(() => element.shadowRoot!.querySelector('[part=scene-title]'), 'the panels');
  await frames(3);
  return element;
}

describe('panels: branding and tour audio', () => {
  afterEach(cleanup);

  it('shows the tour\'s logo (its link opening in a new tab), its accent colour and the credit', async () => {
    const { brand } = await rooms();
    const element = await branded({});
    const tree = await ariaSnapshot('#brand-tour');
    ok(/- link "Logo":\s+- \/url: https:\/\/example\.com\/agency\s+- img "Logo"/.test(tree), `the logo links to the agency:\n${tree}`);
    ok(tree.includes('Powered by vr-tour'), 'the credit');
    const logo = element.shadowRoot!.querySelector<HTMLAnchorElement>('a.logo-link')!;
    equal(`${logo.target} ${logo.rel}`, '_blank noopener noreferrer', 'new tab, no opener:');
    closeColor(await hotspotColor(element), hex(brand.accentColor), 30, 'hotspots in the accent colour:');
  });

  it('branding="off" leaves no logo, colour, credit, share button or link out of the tour', async () => {
    const element = await branded({ branding: 'off' });
    const tree = await ariaSnapshot('#brand-tour');
    ok(!tree.includes('- link'), `no link at all:\n${tree}`);
    ok(!tree.includes('Powered by') && !tree.includes('Logo'), 'no credit, no logo');
    ok(!tree.includes('button "Share"'), 'no share button');
    equal(element.shadowRoot!.querySelectorAll('a[href]').length, 0, 'links in the DOM:');
    closeColor(await hotspotColor(element), [37, 99, 235], 30, 'hotspots in the default colour:');
    await element.openShareDialog();
    equal(element.shadowRoot!.querySelector('[part=share-dialog]'), null, 'no share dialog either:');
  });

  it('plays the scene\'s sound (autoplayAudio) from the first interaction with the tour, with a sound button', async () => {
    const { rooms: all } = await rooms();
    const element = mount({ src: '/fixtures/tour.json?media=1&autoplay=1' }, 640, 400);
    element.id = 'audio-tour';
    await nextEvent(element, 'load');
    const audio = await waitFor(() => element.shadowRoot!.querySelector<HTMLAudioElement>('audio.ambient'), 'the scene\'s sound');
    ok(audio.currentSrc.endsWith('/fixtures/media/chime.wav') || audio.src.endsWith('/fixtures/media/chime.wav'), `the lobby's audio hotspot (${audio.src})`);
    equal(audio.paused, true, 'silent before any interaction:');
    element.focus();
    const playing = nextEvent(audio, 'playing');
    await sendKeys({ press: 'ArrowRight' }); // the first interaction with the tour
    await playing;
    equal(audio.loop, true, 'loops as its hotspot says:');
    ok(/- button "Sound" \[pressed\]/.test(await ariaSnapshot('#audio-tour')), 'a pressed Sound button');
    const button = [...element.shadowRoot!.querySelectorAll<HTMLElement>('.dock button')].find((candidate) => candidate.textContent!.includes('Sound'))!;
    button.click();
    await element.updateComplete;
    equal(audio.muted, true, 'the button mutes it:');
    equal(button.getAttribute('aria-pressed'), 'false', 'and says so:');
    await element.goTo(all.find((room) => room.id === 'gallery')!.sceneId);
    await element.updateComplete;
    equal(element.shadowRoot!.querySelector('audio.ambient'), null, 'a scene without sound has none:');
  });
});
