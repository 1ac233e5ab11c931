import { defineVrTour, VrTourElement } from '../src/vr-tour.js';
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

  it('keeps the CDN entry chunk under 20,500 bytes min+gzip', async () => {
    const sizes = (await executeServerCommand('cdn-bytes')) as { entry: number; chunks: Record<string, number> };
    ok(sizes, 'dist/cdn is built');
    console.log(`entry ${sizes.entry} B gzip; chunks ${JSON.stringify(sizes.chunks)}`);
    below(sizes.entry, 20_500, 'entry chunk min+gzip:');
  });
});
