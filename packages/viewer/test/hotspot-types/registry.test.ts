import '../../examples/floor-tag.js';
import type { HotspotClickEvent, SceneChangeEvent } from '../../src/events.js';
import { registerHotspotType } from '../../src/vr-tour.js';
import { equal, ok } from '../helpers/assert.js';
import { cleanup, executeServerCommand, mount, nextEvent, rooms } from '../helpers/fixture.js';

describe('hotspot types', () => {
  afterEach(cleanup);

  it('the README shows examples/floor-tag.ts, the example run here, word for word', async () => {
    const { readme, example } = (await executeServerCommand('readme-example')) as { readme: string; example: string };
    ok(readme.includes(`\`\`\`ts\n${example}\`\`\`\n`), 'README.md holds the example verbatim in a ```ts block');
  });

  it("the README's floor-tag type draws its custom hotspot, and activating it goes to the floor's scene", async () => {
    const { rooms: all } = await rooms();
    const [lobby, gallery] = [all.find((room) => room.id === 'lobby')!, all.find((room) => room.id === 'gallery')!];
    const element = mount({ src: '/fixtures/tour.json?floortag=1' }, 400, 300);
    await nextEvent(element, 'load');
    const tag = element.shadowRoot!.querySelector<HTMLElement>('[part~=hotspot-floor-tag]')!;
    ok(tag, 'a marker with the part hotspot-floor-tag');
    equal(tag.getAttribute('part'), 'hotspot hotspot-custom hotspot-floor-tag', 'parts:');
    equal(tag.tagName, 'BUTTON');
    equal(tag.textContent, '2F', 'shows:');
    ok(tag.classList.contains('pill'), 'drawn as a pill');
    const tree = (await executeServerCommand('aria-snapshot', 'vr-tour')) as string;
    ok(tree.includes('- button "Stairs, floor 2": 2F'), `accessibility tree:\n${tree}`);

    const clicked = nextEvent<HotspotClickEvent>(element, 'hotspot-click');
    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    tag.click();
    equal((await clicked).detail.hotspot.title, 'Stairs', 'hotspot-click for:');
    const event = await change;
    equal(event.detail.previousSceneId, lobby.sceneId, 'from:');
    equal(event.detail.sceneId, gallery.sceneId, 'to:');
  });

  it('takes each name once, only lowercase words joined by hyphens, and never replaces a built-in type', () => {
    const renderer = { icon: () => '?' };
    const refused = (name: string) => {
      try {
        registerHotspotType(name, renderer);
      } catch (error) {
        return (error as Error).message;
      }
      return null;
    };
    ok(refused('floor-tag')?.includes('registered already'), 'floor-tag twice');
    ok(refused('info')?.includes('registered already'), 'a built-in type');
    ok(refused('sale')?.includes('not a hotspot type name'), 'no hyphen');
    ok(refused('<b>Sale</b>')?.includes('not a hotspot type name'), 'markup');
    equal(refused('price-tag'), null, 'a new name:');
  });
});
