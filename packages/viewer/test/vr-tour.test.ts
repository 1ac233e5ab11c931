import { defineVrTour, SceneChangeEvent, TourErrorEvent, VrTourElement } from '../src/vr-tour.js';
import { below, equal, ok } from './helpers/assert.js';
import { executeServerCommand } from './helpers/fixture.js';

describe('vr-tour', () => {
  it('defines <vr-tour>, tolerates a second define, and takes another tag name', () => {
    equal(customElements.get('vr-tour'), VrTourElement);
    equal(defineVrTour(), VrTourElement, 'second define:');
    const Custom = defineVrTour('acme-tour');
    ok(Custom !== VrTourElement && new Custom() instanceof VrTourElement, 'a subclass for another tag');
    ok(document.createElement('vr-tour') instanceof VrTourElement, 'typed tag');
  });

  it('types the tag and its events (checked by tsc), and dispatches them composed', () => {
    const element = document.createElement('vr-tour'); // HTMLElementTagNameMap: a VrTourElement
    const seen: string[] = [];
    element.addEventListener('scene-change', (event) => seen.push(event.detail.sceneId, String(event.composed)));
    element.addEventListener('error', (event) => seen.push(event.detail.reason, String(event.composed)));
    element.dispatchEvent(new SceneChangeEvent({ sceneId: 's1', previousSceneId: null, title: 'S' }));
    element.dispatchEvent(new TourErrorEvent({ reason: 'context-lost', message: 'lost' }));
    equal(seen.join(), 's1,true,context-lost,true');
  });

  it('imports in plain Node (server-side rendering) without reading browser globals', async () => {
    const result = (await executeServerCommand('node-import')) as { reads: string[]; exports: string[]; defined: boolean; error: string | null };
    equal(result.error, null, 'import error:');
    equal(result.reads.join('; '), '', 'browser globals read at import:');
    ok(result.exports.includes('VrTourElement') && result.exports.includes('defineVrTour'), `exports: ${result.exports}`);
    ok(result.defined, 'defineVrTour works in Node');
  });

  it('keeps the CDN entry chunk under 17 KiB (17,408 bytes) min+gzip', async () => {
    const sizes = (await executeServerCommand('cdn-bytes')) as { entry: number; chunks: Record<string, number> };
    ok(sizes, 'dist/cdn is built');
    console.log(`entry ${sizes.entry} B gzip; chunks ${JSON.stringify(sizes.chunks)}`);
    below(sizes.entry, 17_408, 'entry chunk min+gzip:');
  });
});
