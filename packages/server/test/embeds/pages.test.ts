import sharp from 'sharp';
import type { TourDocument } from '@vr-tour/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MARKER } from './support/panorama.js';
import { getWithHost } from '../custom-domains/support/domain-app.js';
import { insertVerifiedDomain, metaTags, startEmbedsApp, unescapeHtml, viewerAttributes, type EmbedsFixture } from './support/embeds-app.js';

let fixture: EmbedsFixture;
beforeAll(async () => {
  fixture = await startEmbedsApp();
});
afterAll(async () => {
  await fixture?.close();
});

const get = (path: string) => fetch(`${fixture.app.url}${path}`);

async function page(path: string) {
  const response = await get(path);
  return { response, html: await response.text() };
}

/** The colour at the middle of a JPEG. */
async function middleColour(jpeg: Buffer): Promise<[number, number, number]> {
  const { data, info } = await sharp(jpeg).raw().toBuffer({ resolveWithObject: true });
  const at = ((info.height >> 1) * info.width + (info.width >> 1)) * info.channels;
  return [data[at]!, data[at + 1]!, data[at + 2]!];
}

describe('the share page /t/{id}', () => {
  it('serves a public tour full-window with its title, description, link-preview tags, canonical URL and oEmbed discovery', async () => {
    const { tourId } = await fixture.tour({ title: 'Loft <"Sea"> & sun' });
    await fixture.db.sql`UPDATE tours SET description = 'Two rooms & a view' WHERE id = ${tourId}`;
    const { response, html } = await page(`/t/${tourId}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('set-cookie')).toBeNull();
    const canonical = `${fixture.app.url}/t/${tourId}`;
    expect(html).toContain('<title>Loft &lt;&quot;Sea&quot;&gt; &amp; sun</title>');
    expect(html).not.toContain('<"Sea">');
    expect(html).toContain(`<link rel="canonical" href="${canonical}">`);
    expect(html).toContain('<h1 class="visually-hidden">Loft &lt;&quot;Sea&quot;&gt; &amp; sun</h1>');
    expect(html).toContain('<p class="visually-hidden">Two rooms &amp; a view</p>');
    expect(html).not.toContain('noindex');
    const meta = metaTags(html);
    expect(meta).toMatchObject({
      description: 'Two rooms &amp; a view',
      'og:type': 'website',
      'og:title': 'Loft &lt;&quot;Sea&quot;&gt; &amp; sun',
      'og:url': canonical,
      'og:description': 'Two rooms &amp; a view',
      'og:image:width': '1200',
      'og:image:height': '630',
      'twitter:card': 'summary_large_image',
    });
    expect(meta['og:image']).toMatch(new RegExp(`^${fixture.app.url}/media/[0-9a-f]{2}/[0-9a-f]{64}\\.jpg$`));
    const json = /<link rel="alternate" type="application\/json\+oembed" href="([^"]+)"/.exec(html)?.[1];
    const xml = /<link rel="alternate" type="text\/xml\+oembed" href="([^"]+)"/.exec(html)?.[1];
    expect(unescapeHtml(json!)).toBe(`${fixture.app.url}/oembed?url=${encodeURIComponent(canonical)}&format=json`);
    expect(unescapeHtml(xml!)).toBe(`${fixture.app.url}/oembed?url=${encodeURIComponent(canonical)}&format=xml`);
    expect(viewerAttributes(html)).toEqual({ src: `/api/v1/public/tours/${tourId}`, loading: 'eager', 'aria-label': 'Loft &lt;&quot;Sea&quot;&gt; &amp; sun' });
    expect(html).toContain('<script type="module" src="/vr-tour.js"></script>');
  });

  it('keeps an unlisted tour out of search engines', async () => {
    const { tourId } = await fixture.tour({ visibility: 'unlisted' });
    const { response, html } = await page(`/t/${tourId}`);
    expect(response.status).toBe(200);
    expect(html).toContain('<meta name="robots" content="noindex">');
  });

  it('answers the plain 404 page for private, draft, archived, unknown and malformed tours', async () => {
    const hidden = [
      (await fixture.tour({ visibility: 'private' })).tourId,
      (await fixture.tour({ status: 'draft' })).tourId,
      (await fixture.tour({ status: 'archived' })).tourId,
      '6f1c1a4e-0000-4000-8000-000000000000',
      'not-a-tour',
    ];
    for (const id of hidden) {
      for (const path of [`/t/${id}`, `/embed/${id}`]) {
        const { response, html } = await page(path);
        expect(response.status, path).toBe(404);
        expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
        expect(html, path).toContain('Not found');
        expect(html, path).not.toMatch(/vr-tour src|[0-9a-f]{8}-[0-9a-f]{4}/);
      }
    }
  });

  it('turns the view options of its URL into the viewer’s attributes, and keeps them in the oEmbed discovery link', async () => {
    const { tourId, sceneIds } = await fixture.tour();
    const { html } = await page(`/t/${tourId}?scene=${sceneIds[1]}&yaw=-30.5&pitch=10&fov=70&autorotate=-4&controls=0&branding=off`);
    expect(viewerAttributes(html)).toMatchObject({
      src: `/embed/${tourId}/unbranded.json`,
      scene: sceneIds[1],
      yaw: '-30.5',
      pitch: '10',
      fov: '70',
      autorotate: '-4',
      branding: 'off',
    });
    expect(viewerAttributes(html)).toMatchObject({ controls: 'none' });
    const discovered = new URL(unescapeHtml(/application\/json\+oembed" href="([^"]+)"/.exec(html)![1]!));
    const shared = new URL(discovered.searchParams.get('url')!);
    expect(shared.pathname).toBe(`/t/${tourId}`);
    expect(Object.fromEntries(shared.searchParams)).toEqual({ scene: sceneIds[1], yaw: '-30.5', pitch: '10', fov: '70', autorotate: '-4', controls: '0', branding: 'off' });
  });
});

describe('the social card', () => {
  it('is the start view reprojected at 1200x630, made once, and made again when the start view or scene changes', async () => {
    // Looking straight at the panorama's red marker.
    const { tourId, sceneIds } = await fixture.tour({ atMarker: true });
    const imageOf = async () => metaTags((await page(`/t/${tourId}`)).html)['og:image']!;
    const first = await imageOf();
    const card = await get(new URL(first).pathname);
    expect(card.status).toBe(200);
    expect(card.headers.get('content-type')).toBe('image/jpeg');
    const jpeg = Buffer.from(await card.arrayBuffer());
    expect(await sharp(jpeg).metadata()).toMatchObject({ width: 1200, height: 630, format: 'jpeg' });
    const [r, g, b] = await middleColour(jpeg);
    expect(r, `${r},${g},${b}`).toBeGreaterThan(180);
    expect(g).toBeLessThan(70);
    const [row] = await fixture.db.sql<{ image_key: string; created_at: Date }[]>`SELECT image_key, created_at FROM tour_social_cards WHERE tour_id = ${tourId}`;
    expect(first).toBe(`${fixture.app.url}/media/${row!.image_key}`);

    // Made once: the next page and the oEmbed answer name the same card, the row is untouched.
    expect(await imageOf()).toBe(first);
    const oembed = (await (await get(`/oembed?url=${encodeURIComponent(`${fixture.app.url}/t/${tourId}`)}`)).json()) as { thumbnail_url: string };
    expect(oembed.thumbnail_url).toBe(first);
    const [again] = await fixture.db.sql<{ created_at: Date }[]>`SELECT created_at FROM tour_social_cards WHERE tour_id = ${tourId}`;
    expect(again!.created_at).toEqual(row!.created_at);

    // A new initial view of the start scene: a new card, away from the marker.
    await fixture.db.sql`UPDATE scenes SET initial_yaw = ${MARKER.yaw - 90} WHERE id = ${sceneIds[0]!}`;
    const turned = await imageOf();
    expect(turned).not.toBe(first);
    const [tr, tg] = await middleColour(Buffer.from(await (await get(new URL(turned).pathname)).arrayBuffer()));
    expect(tr > 180 && tg < 70).toBe(false);

    // Another start scene: another card again, and the table keeps one row for the tour.
    await fixture.db.sql`UPDATE tours SET initial_scene_id = ${sceneIds[1]!} WHERE id = ${tourId}`;
    const otherScene = await imageOf();
    expect(otherScene).not.toBe(turned);
    const rows = await fixture.db.sql`SELECT source FROM tour_social_cards WHERE tour_id = ${tourId}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.source).toContain(sceneIds[1]);
  });

  it('falls back to the tour’s thumbnail when the panorama is not in storage', async () => {
    const { tourId } = await fixture.tour();
    await fixture.db.sql`UPDATE media SET variants = jsonb_set(variants, '{levels}', '[{"width": 2048, "height": 1024, "url": "/media/elsewhere.jpg", "format": "jpeg"}]')
      WHERE id IN (SELECT media_id FROM scenes WHERE tour_id = ${tourId})`;
    await fixture.db.sql`UPDATE tours SET thumbnail_url = '/media/thumb.webp' WHERE id = ${tourId}`;
    const meta = metaTags((await page(`/t/${tourId}`)).html);
    expect(meta['og:image']).toBe(`${fixture.app.url}/media/thumb.webp`);
    expect(meta).not.toHaveProperty('og:image:width');
  });
});

describe('the iframe page /embed/{id}', () => {
  it('may be framed by any site, and loosens nothing else', async () => {
    const { tourId } = await fixture.tour();
    const [embed, share] = [await page(`/embed/${tourId}`), await page(`/t/${tourId}`)];
    expect(embed.response.status).toBe(200);
    const policy = embed.response.headers.get('content-security-policy')!;
    expect(policy).toContain('frame-ancestors *');
    expect(policy.replace('frame-ancestors *', '')).toBe(share.response.headers.get('content-security-policy')!.replace("frame-ancestors 'self'", ''));
    expect(embed.response.headers.get('x-frame-options')).toBeNull();
    expect(embed.response.headers.get('set-cookie')).toBeNull();
    expect(embed.html).toContain('<meta name="robots" content="noindex">');
    expect(embed.html).toContain(`<link rel="canonical" href="${fixture.app.url}/t/${tourId}">`);
    expect(embed.html).not.toMatch(/og:|oembed/);
    expect(viewerAttributes(embed.html)).toMatchObject({ src: `/api/v1/public/tours/${tourId}` });
    expect(viewerAttributes(embed.html)).not.toHaveProperty('controls');
  });

  it('ignores options it does not understand, and reads any doubtful branding as off', async () => {
    const { tourId, sceneIds } = await fixture.tour();
    const bad = await page(`/embed/${tourId}?scene=${sceneIds[0]!.replace(/.$/, '0')}&yaw=90deg&pitch=100&fov=5&autorotate=fast&controls=maybe&unknown=1`);
    expect(bad.response.status).toBe(200);
    expect(viewerAttributes(bad.html)).toEqual({ src: `/api/v1/public/tours/${tourId}`, loading: 'eager', 'aria-label': 'A tour' });
    for (const branding of ['off', 'OFF', '0', 'false', 'no', 'of', '', 'none']) {
      const { html } = await page(`/embed/${tourId}?branding=${branding}`);
      expect(viewerAttributes(html), branding).toMatchObject({ src: `/embed/${tourId}/unbranded.json`, branding: 'off' });
    }
    for (const branding of ['on', '1', 'true', 'yes']) {
      expect(viewerAttributes((await page(`/embed/${tourId}?branding=${branding}`)).html), branding).not.toHaveProperty('branding');
    }
    const on = await page(`/embed/${tourId}?autorotate=1&yaw=180&pitch=-90&fov=120&controls=off`);
    expect(viewerAttributes(on.html)).toEqual({ src: `/api/v1/public/tours/${tourId}`, loading: 'eager', 'aria-label': 'A tour', yaw: '180', pitch: '-90', fov: '120', autorotate: '', controls: 'none' });
  });

  it('serves only unbranded when the tour’s settings say so (validated like every setting)', async () => {
    const { tourId } = await fixture.tour();
    const patch = (settings: unknown) =>
      fetch(`${fixture.app.url}/api/v1/tours/${tourId}`, {
        method: 'PATCH',
        headers: { ...fixture.creator.authHeader, 'Content-Type': 'application/json' },
        body: JSON.stringify({ settings }),
      });
    const refused = await patch({ embed: { unbrandedOnly: 'yes' } });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { errors: unknown[] }).errors).toEqual([expect.objectContaining({ path: 'settings.embed.unbrandedOnly' })]);
    expect((await patch({ embed: { unbrandedOnly: true } })).status).toBe(200);
    for (const query of ['', '?branding=on']) {
      expect(viewerAttributes((await page(`/embed/${tourId}${query}`)).html)).toMatchObject({ src: `/embed/${tourId}/unbranded.json`, branding: 'off' });
    }
    // The share page is the creator's own: it follows its URL.
    expect(viewerAttributes((await page(`/t/${tourId}`)).html).src).toBe(`/api/v1/public/tours/${tourId}`);
  });
});

describe('the unbranded document', () => {
  it('has no branding, no link hotspots and no links in rich text, and keeps everything inside the tour', async () => {
    const { tourId, sceneIds } = await fixture.tour();
    await fixture.db.sql`INSERT INTO branding (tour_id, logo_url, primary_color, link_url, show_powered_by) VALUES (${tourId}, '/media/logo.png', '#aa0000', 'https://agent.example', true)`;
    await fixture.db.sql`INSERT INTO hotspots (scene_id, type, yaw, pitch, title, content) VALUES
      (${sceneIds[0]!}, 'link', 10, 0, 'Call the agent', ${fixture.db.sql.json({ url: 'https://agent.example/contact' })}),
      (${sceneIds[0]!}, 'info', 20, 0, 'Kitchen', ${fixture.db.sql.json({ html: '<p>New <a href="https://agent.example" title="a > b">oven</a>, <<a>a href="x">see</a> <AREA href="https://agent.example/map"> here</p>' })})`;
    const branded = (await (await get(`/api/v1/public/tours/${tourId}`)).json()) as TourDocument;
    expect(branded.branding).toMatchObject({ linkUrl: 'https://agent.example' });
    const response = await get(`/embed/${tourId}/unbranded.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('etag')).toBeTruthy();
    const document = (await response.json()) as TourDocument;
    expect(document.branding).toBeNull();
    const hotspots = document.scenes[0]!.hotspots;
    expect(hotspots.map((hotspot) => hotspot.type).sort()).toEqual(['info', 'navigation']);
    expect(hotspots.find((hotspot) => hotspot.type === 'info')).toMatchObject({ html: '<p>New oven, see  here</p>' });
    expect(JSON.stringify(document)).not.toContain('agent.example');
    expect({ ...document, branding: branded.branding, scenes: branded.scenes }).toEqual(branded);
    expect((await get(`/embed/${(await fixture.tour({ visibility: 'private' })).tourId}/unbranded.json`)).status).toBe(404);
  });
});

describe('on a custom domain', () => {
  it('serves the same share page, with the card and oEmbed on the custom host, and the iframe page for its tour only', async () => {
    const { tourId } = await fixture.tour({ title: 'Harbour loft' });
    const other = await fixture.tour({ title: 'Someone else' });
    await insertVerifiedDomain(fixture.db.sql, fixture.creator.userId, tourId, 'tours.acme.test', '/listing-42');
    const share = await getWithHost(fixture.app.url, 'tours.acme.test', '/listing-42');
    expect(share.status).toBe(200);
    expect(share.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    const meta = metaTags(share.body);
    expect(meta['og:url']).toBe('http://tours.acme.test/listing-42');
    expect(meta['og:image']).toMatch(/^http:\/\/tours\.acme\.test\/media\/[0-9a-f]{2}\/[0-9a-f]{64}\.jpg$/);
    expect(share.body).toContain(`href="http://tours.acme.test/oembed?url=${encodeURIComponent('http://tours.acme.test/listing-42')}&amp;format=json"`);

    const embed = await getWithHost(fixture.app.url, 'tours.acme.test', `/embed/${tourId}?branding=off`);
    expect(embed.status).toBe(200);
    expect(embed.headers['content-security-policy']).toContain('frame-ancestors *');
    expect(embed.body).toContain('<link rel="canonical" href="http://tours.acme.test/listing-42">');
    expect((await getWithHost(fixture.app.url, 'tours.acme.test', `/embed/${tourId}/unbranded.json`)).status).toBe(200);
    for (const path of [`/embed/${other.tourId}`, `/embed/${other.tourId}/unbranded.json`, `/t/${tourId}`]) {
      expect((await getWithHost(fixture.app.url, 'tours.acme.test', path)).status, path).toBe(404);
    }

    const asked = (url: string) => getWithHost(fixture.app.url, 'tours.acme.test', `/oembed?url=${encodeURIComponent(url)}`);
    const answer = await asked('http://tours.acme.test/listing-42');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).html).toContain(`src="http://tours.acme.test/embed/${tourId}"`);
    // A custom host answers for itself only, never about the platform's other tours.
    expect((await asked(`${fixture.app.url}/t/${other.tourId}`)).status).toBe(404);
  });
});
