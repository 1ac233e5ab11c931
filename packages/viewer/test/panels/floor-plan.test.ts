import type { SceneChangeEvent } from '../../src/events.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import { closeColor, equal, ok, type Rgb } from '../helpers/assert.js';
import { ariaSnapshot, cleanup, frames, mount, nextEvent, rooms, screenPixel, waitFor } from '../helpers/fixture.js';

/** The view cone tints the plan with the accent colour (blue): more blue than red. */
const tinted = ([r, , b]: Rgb) => b - r > 30;

describe('panels: floor plan and compass', () => {
  afterEach(cleanup);

  it('shows the plan with the scenes on it, the current one marked, a cone where the visitor looks (north offsets honoured); a dot goes there', async () => {
    const { rooms: all } = await rooms();
    const gallery = all.find((room) => room.id === 'gallery')!;
    // ?north=1: the lobby faces north at yaw 0, the gallery at yaw 40.
    const element = mount({ src: '/fixtures/tour.json?plans=1&north=1' }, 800, 480);
    element.id = 'plan-tour';
    await nextEvent(element, 'load');
    const plan = await waitFor(() => element.shadowRoot!.querySelector<HTMLElement>('.plan'), 'the plan, open on a large element');
    await waitFor(() => plan.querySelector('img')?.complete, 'the plan image');
    const tree = await ariaSnapshot('#plan-tour');
    ok(tree.includes(`group "Floor plan: Ground floor"`) && /- img "Ground floor"/.test(tree), `the plan in the accessibility tree:\n${tree}`);
    for (const room of all) ok(tree.includes(`- button "${room.name}"`), `a button for ${room.name}`);
    equal(plan.querySelector('.dot[aria-current=location]')?.getAttribute('aria-label'), 'Lobby', 'the current scene is marked:');

    const box = plan.getBoundingClientRect();
    const dot = (room: { plan: { x: number; y: number } }) => [box.left + room.plan.x * box.width, box.top + room.plan.y * box.height] as const;
    const [lx, ly] = dot(all.find((room) => room.id === 'lobby')!);
    const look = async (yaw: number) => {
      element.lookAt(yaw, 0, 90);
      await frames(3);
    };
    await look(90); // east: the cone points right on the plan (north up)
    ok(tinted(await screenPixel(lx + 25, ly)), 'looking east: the cone is right of the dot');
    ok(!tinted(await screenPixel(lx - 25, ly)), 'and not left of it');
    ok(!tinted(await screenPixel(lx, ly - 25)), 'nor above it');
    await look(0);
    ok(tinted(await screenPixel(lx, ly - 25)), 'looking north: the cone is above the dot');
    ok(!tinted(await screenPixel(lx + 25, ly)), 'and no longer right of it');

    const change = nextEvent<SceneChangeEvent>(element, 'scene-change');
    plan.querySelector<HTMLElement>(`.dot[aria-label="${gallery.name}"]`)!.click();
    equal((await change).detail.sceneId, gallery.sceneId, 'a dot goes to its scene:');
    await element.updateComplete;
    equal(plan.querySelector('.dot[aria-current=location]')?.getAttribute('aria-label'), gallery.name, 'marked now:');
    const [gx, gy] = dot(gallery);
    await look(40); // the gallery's north
    ok(tinted(await screenPixel(gx, gy - 25)), 'yaw 40 in the gallery looks north: the cone is above its dot');
    ok(!tinted(await screenPixel(gx + 25, gy)), 'and not right of it');
  });

  it('the compass (showCompass) names the direction faced and its needle points north', async () => {
    const element = mount({ src: '/fixtures/tour.json?plans=1' }, 800, 480);
    element.id = 'compass-tour';
    await nextEvent(element, 'load');
    const compass = await waitFor(() => element.shadowRoot!.querySelector<HTMLElement>('[part=compass]'), 'the compass');
    element.lookAt(90, 0, 90);
    await frames(3);
    await element.updateComplete;
    ok((await ariaSnapshot('#compass-tour')).includes('- img "Facing E"'), 'named by the direction faced');
    const box = compass.getBoundingClientRect();
    const [cx, cy] = [box.left + box.width / 2, box.top + box.height / 2];
    // Facing east, north is to the left: the red half of the needle points left.
    closeColor(await screenPixel(cx - 10, cy), [239, 68, 68], 40, 'left of the centre: the needle\'s red north half');
    closeColor(await screenPixel(cx + 10, cy), [255, 255, 255], 40, 'right: its white south half');
  });
});
