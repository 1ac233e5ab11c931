import { extract } from '@extractus/oembed-extractor';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemSchema } from '@vr-tour/protocol';
import { oembedResponseSchema } from '../../src/embeds/oembed.js';
import { insertVerifiedDomain, startEmbedsApp, unescapeHtml, type EmbedsFixture } from './support/embeds-app.js';

let fixture: EmbedsFixture;
let tourId: string;
let sceneIds: string[];
beforeAll(async () => {
  fixture = await startEmbedsApp();
  ({ tourId, sceneIds } = await fixture.tour({ title: 'Harbour <loft>' }));
});
afterAll(async () => {
  await fixture?.close();
});

const oembed = (query: Record<string, string>) => fetch(`${fixture.app.url}/oembed?${new URLSearchParams(query)}`);
const shareUrl = (id = tourId) => `${fixture.app.url}/t/${id}`;

async function answer(query: Record<string, string>) {
  const response = await oembed(query);
  expect(response.status, await response.clone().text()).toBe(200);
  return oembedResponseSchema.strict().parse(await response.json());
}

/** The iframe's attributes out of the answer's `html`. */
function iframe(html: string): Record<string, string> {
  const tag = /^<iframe ([^>]*)><\/iframe>$/.exec(html)![1]!;
  return Object.fromEntries([...tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)].map(([, name, value]) => [name!, unescapeHtml(value ?? '')]));
}

async function problem(response: Response, status: number) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return problemSchema.parse(await response.json());
}

describe('oEmbed', () => {
  it('answers a share URL with a rich iframe, the provider and the social card', async () => {
    const response = await oembed({ url: shareUrl() });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    const body = await answer({ url: shareUrl() });
    expect(body).toMatchObject({ version: '1.0', type: 'rich', title: 'Harbour <loft>', provider_name: 'vr-tour', provider_url: fixture.app.url, width: 640, height: 360 });
    expect(body.thumbnail_url).toMatch(new RegExp(`^${fixture.app.url}/media/[0-9a-f]{2}/[0-9a-f]{64}\\.jpg$`));
    expect(body).toMatchObject({ thumbnail_width: 1200, thumbnail_height: 630 });
    expect((await fetch(body.thumbnail_url!)).headers.get('content-type')).toBe('image/jpeg');
    expect(iframe(body.html)).toEqual({
      src: `${fixture.app.url}/embed/${tourId}`,
      width: '640',
      height: '360',
      title: 'Harbour <loft>',
      allow: 'fullscreen; gyroscope; accelerometer; xr-spatial-tracking',
      allowfullscreen: '',
      loading: 'lazy',
      frameborder: '0',
      style: 'border:0;max-width:100%',
    });
    expect(body.html).toContain('title="Harbour &lt;loft&gt;"');
  });

  it('fits the iframe within maxwidth and maxheight, keeping 16:9', async () => {
    for (const [limits, size] of [
      [{ maxwidth: '500', maxheight: '750' }, [500, 281]],
      [{ maxwidth: '1000', maxheight: '300' }, [533, 299]],
      [{ maxheight: '180' }, [320, 180]],
      [{ maxwidth: '5000' }, [1920, 1080]],
      [{ maxwidth: '1' }, [1, 1]],
    ] as const) {
      const body = await answer({ url: shareUrl(), ...limits });
      expect([body.width, body.height], JSON.stringify(limits)).toEqual(size);
      expect(body.width).toBeLessThanOrEqual(Number('maxwidth' in limits ? limits.maxwidth : Infinity));
      expect(body.height).toBeLessThanOrEqual(Number('maxheight' in limits ? limits.maxheight : Infinity));
      expect(iframe(body.html)).toMatchObject({ width: String(size[0]), height: String(size[1]) });
    }
  });

  it('keeps the view options of the pasted URL, from the share page or the iframe page', async () => {
    const url = `${fixture.app.url}/embed/${tourId}?scene=${sceneIds[1]}&yaw=45&fov=80&branding=off&junk=1`;
    const src = new URL(iframe((await answer({ url })).html).src!);
    expect(src.pathname).toBe(`/embed/${tourId}`);
    expect(Object.fromEntries(src.searchParams)).toEqual({ scene: sceneIds[1], yaw: '45', fov: '80', branding: 'off' });
    expect(iframe((await answer({ url: `${shareUrl()}/` })).html).src).toBe(`${fixture.app.url}/embed/${tourId}`);
  });

  it('answers the same in XML for format=xml', async () => {
    const response = await oembed({ url: shareUrl(), format: 'xml', maxwidth: '500' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
    const xml = await response.text();
    expect(xml.startsWith('<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<oembed>\n')).toBe(true);
    const fields = Object.fromEntries([...xml.matchAll(/<([a-z_]+)>([^<]*)<\/\1>/g)].map(([, name, value]) => [name!, unescapeHtml(value!)]));
    const json = await answer({ url: shareUrl(), maxwidth: '500' });
    expect(fields).toEqual(Object.fromEntries(Object.entries(json).map(([name, value]) => [name, String(value)])));
  });

  it('answers 404 for private, draft and unknown tours, 400 for URLs not ours, 501 for other formats', async () => {
    for (const hidden of [(await fixture.tour({ visibility: 'private' })).tourId, (await fixture.tour({ status: 'draft' })).tourId, '6f1c1a4e-0000-4000-8000-000000000000']) {
      await problem(await oembed({ url: shareUrl(hidden) }), 404);
    }
    await problem(await oembed({ url: `${fixture.app.url}/api/v1/public/tours/${tourId}` }), 404);
    await problem(await oembed({ url: `${fixture.app.url}/` }), 404);
    for (const foreign of [`https://example.com/t/${tourId}`, 'https://tours.elsewhere.test/listing-42']) {
      expect((await problem(await oembed({ url: foreign }), 400)).detail).toMatch(/not a tour URL of this server/);
    }
    for (const bad of [{}, { url: 'javascript:alert(1)' }, { url: 'not a url' }, { url: shareUrl(), maxwidth: '-5' }, { url: shareUrl(), maxheight: 'tall' }]) {
      await problem(await oembed(bad as Record<string, string>), 400);
    }
    for (const format of ['yaml', 'JSON', 'html']) {
      const refused = await problem(await oembed({ url: shareUrl(), format }), 501);
      expect(refused.detail).toContain(format);
    }
  });

  it('resolves a verified custom domain’s URL to its tour, on the custom host', async () => {
    const { tourId: domainTour } = await fixture.tour({ title: 'On my domain' });
    await insertVerifiedDomain(fixture.db.sql, fixture.creator.userId, domainTour, 'listing.acme.test', '/listing-42');
    const body = await answer({ url: 'https://listing.acme.test/listing-42?yaw=10' });
    expect(body.title).toBe('On my domain');
    expect(iframe(body.html).src).toBe(`https://listing.acme.test/embed/${domainTour}?yaw=10`);
    expect(body.thumbnail_url).toMatch(/^https:\/\/listing\.acme\.test\/media\//);
    expect((await answer({ url: 'https://listing.acme.test/listing-42/' })).title).toBe('On my domain');
    await problem(await oembed({ url: 'https://listing.acme.test/other' }), 404);
    await fixture.db.sql`UPDATE tours SET visibility = 'private' WHERE id = ${domainTour}`;
    await problem(await oembed({ url: 'https://listing.acme.test/listing-42' }), 404);
  });
});

describe('a real oEmbed consumer (@extractus/oembed-extractor)', () => {
  it('discovers the endpoint from the share page and gets the iframe', async () => {
    const data = await extract(shareUrl(), { maxwidth: 480 });
    expect(data).toMatchObject({ method: 'auto-discovery', type: 'rich', version: '1.0', title: 'Harbour <loft>', width: 480, height: 270 });
    expect(data).toHaveProperty('html', expect.stringContaining(`src="${fixture.app.url}/embed/${tourId}"`));
  });

  it('finds nothing to embed at a private tour’s URL', async () => {
    const { tourId: hidden } = await fixture.tour({ visibility: 'private' });
    await expect(extract(shareUrl(hidden))).rejects.toThrow(/404/);
  });
});
