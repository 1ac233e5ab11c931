import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '@vr-tour/testing/chromium';
import { IFRAME_ALLOW } from '../../src/embeds/oembed.js';
import { builtSite, colourAt, distinctColours, isMarkerRed, pixelsOf, saveScreenshot, TOUR_LOADED_SCRIPT, tourFrame, untilMarkerDrawn, VISITOR_UA } from './support/browser.js';
import { startEmbedsApp, type EmbedsFixture } from './support/embeds-app.js';
import { startWordPress, wordpressInstalled, type WordPress } from './support/wordpress.js';

// A real WordPress (Debian's, on loopback) renders posts whose one line is a
// tour's share URL, and Chromium shows the tour drawn inside the post: first
// without our plugin (WordPress discovers the oEmbed endpoint and sandboxes
// the iframe), then with it (our server is a known provider: the iframe keeps
// its allow list). A private tour's URL stays plain text.
const PLUGIN = fileURLToPath(new URL('../../../../integrations/wordpress/vr-tour', import.meta.url));

let fixture: EmbedsFixture;
let wordpress: WordPress;
let browser: Browser;

beforeAll(async () => {
  if (!wordpressInstalled()) throw new Error('WordPress, PHP or MariaDB is missing: apt-get install wordpress mariadb-server php-cli php-mysql (.ci/run does)');
  const site = builtSite();
  fixture = await startEmbedsApp(() => ({ site }));
  wordpress = await startWordPress(PLUGIN, [Number(new URL(fixture.app.url).port)]);
  browser = await launchChromium(['--host-resolver-rules=MAP *.test 127.0.0.1']);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await wordpress?.close();
  await fixture?.close();
});

/** A published post of these lines, as an author pastes them (no blocks); resolves with its id. */
async function post(title: string, lines: string[]): Promise<number> {
  const content = JSON.stringify(lines.join('\n\n'));
  return Number(await wordpress.php(`echo wp_insert_post( array( 'post_title' => ${JSON.stringify(title)}, 'post_content' => ${content}, 'post_status' => 'publish' ), true );`));
}

async function openPost(id: number): Promise<{ page: Page; html: string }> {
  const page = await browser.newPage({ userAgent: VISITOR_UA, viewport: { width: 1000, height: 900 } });
  await page.addInitScript({ content: TOUR_LOADED_SCRIPT });
  const response = await page.goto(`${wordpress.url}/?p=${id}`);
  expect(response!.status()).toBe(200);
  return { page, html: await page.content() };
}

/** Waits until the iframe shows the start view's red marker, saves it and the whole post, and checks it is a picture, not a blank canvas. */
async function expectTourDrawn(page: Page, selector: string, name: string): Promise<void> {
  const iframe = page.locator(selector);
  await iframe.scrollIntoViewIfNeeded();
  const shot = await untilMarkerDrawn(() => iframe.screenshot());
  await saveScreenshot(`${name}-iframe.png`, shot);
  await saveScreenshot(`${name}.png`, await page.screenshot({ fullPage: true }));
  const pixels = await pixelsOf(shot);
  expect(isMarkerRed(colourAt(pixels, pixels.width / 2, pixels.height / 2))).toBe(true);
  expect(distinctColours(pixels)).toBeGreaterThan(8);
}

const iframeTags = (html: string) => [...html.matchAll(/<iframe\b[^>]*>/g)].map(([tag]) => tag);

describe('WordPress', () => {
  it('without the plugin, discovers a pasted share URL and draws the tour in its sandboxed iframe', async () => {
    const { tourId } = await fixture.tour({ title: 'Harbour loft', atMarker: true });
    const id = await post('Discovered', ['Our new listing:', `${fixture.app.url}/t/${tourId}`, 'Call us.']);
    const { page, html } = await openPost(id);
    try {
      const [iframe, ...others] = iframeTags(html);
      expect(others).toEqual([]);
      expect(iframe).toContain('class="wp-embedded-content"');
      expect(iframe).toContain('sandbox="allow-scripts"');
      expect(iframe).toMatch(new RegExp(`src="${fixture.app.url}/embed/${tourId}#\\?secret=[A-Za-z0-9]+"`));
      // WordPress asked for its content width and kept our 16:9.
      expect(iframe).toContain('width="500"');
      expect(iframe).toContain('height="281"');
      expect(iframe).not.toContain('allow=');
      const frame = await tourFrame(page, tourId);
      expect(await frame.evaluate('self.origin')).toBe('null');
      await expectTourDrawn(page, 'iframe.wp-embedded-content', 'wordpress-discovered');
    } finally {
      await page.close();
    }
  }, 120_000);

  it('with the plugin, embeds through our provider with the allow list, and the shortcode and block render the tour', async () => {
    const activated = await wordpress.php(`
      require_once ABSPATH . 'wp-admin/includes/plugin.php';
      $result = activate_plugin( 'vr-tour/vr-tour.php' );
      update_option( 'vr_tour_host', vr_tour_sanitize_host( ${JSON.stringify(`${fixture.app.url}/some/path`)} ) );
      echo is_wp_error( $result ) ? $result->get_error_message() : get_option( 'vr_tour_host' );`);
    expect(activated.trim()).toBe(fixture.app.url);
    const { tourId } = await fixture.tour({ title: 'Provider loft', atMarker: true });
    const id = await post('Provided', ['Our new listing:', `${fixture.app.url}/t/${tourId}`]);
    const { page, html } = await openPost(id);
    try {
      const [iframe] = iframeTags(html);
      expect(iframe).toContain(`src="${fixture.app.url}/embed/${tourId}"`);
      expect(iframe).toContain(`allow="${IFRAME_ALLOW}"`);
      expect(iframe).toContain('allowfullscreen');
      expect(iframe).not.toContain('sandbox');
      await tourFrame(page, tourId);
      await expectTourDrawn(page, `iframe[src^="${fixture.app.url}/embed/"]`, 'wordpress-plugin');
    } finally {
      await page.close();
    }

    const rendered = await wordpress.php(`
      echo do_shortcode( '[vr_tour id="${tourId}" branding="off" yaw="12.5"]' ), "\\n";
      echo do_blocks( '<!-- wp:vr-tour/tour {"tourId":"${tourId}","unbranded":true,"height":400} /-->' ), "\\n";
      echo do_shortcode( '[vr_tour id="not-a-tour"]' ), '|', WP_Block_Type_Registry::get_instance()->get_registered( 'vr-tour/tour' )->editor_script_handles[0] ?? '';`);
    const [shortcode, block, rest] = rendered.trim().split('\n');
    expect(shortcode).toBe(
      `<iframe class="vr-tour-embed" src="${fixture.app.url}/embed/${tourId}?yaw=12.5&#038;branding=off" title="360° tour" allow="${IFRAME_ALLOW}" allowfullscreen loading="lazy" style="width:100%;aspect-ratio:16/9;border:0"></iframe>`,
    );
    expect(block).toMatch(new RegExp(`^<figure class="wp-block-vr-tour-tour"><iframe class="vr-tour-embed" src="${fixture.app.url}/embed/${tourId}\\?branding=off" .*style="width:100%;height:400px;border:0"></iframe></figure>$`));
    // A bad id renders nothing for readers; the block's editor script is registered.
    expect(rest).toBe('|vr-tour-tour-editor-script');
  }, 120_000);

  it('offers the block in the editor, with the live tour as its preview', async () => {
    const { tourId } = await fixture.tour({ atMarker: true });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.addInitScript({ content: TOUR_LOADED_SCRIPT });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    try {
      await page.goto(`${wordpress.url}/wp-login.php`);
      await page.fill('#user_login', 'admin');
      await page.fill('#user_pass', 'correct horse battery staple');
      await Promise.all([page.waitForURL(/wp-admin/), page.click('#wp-submit')]);
      await page.goto(`${wordpress.url}/wp-admin/post-new.php`);
      await page.waitForFunction('window.wp && wp.blocks && wp.blocks.getBlockType("vr-tour/tour") !== undefined', undefined, { timeout: 60_000 });
      expect(await page.evaluate('wp.blocks.getBlockType("vr-tour/tour").title')).toBe('VR Tour');
      await page.evaluate(`wp.data.dispatch('core/block-editor').insertBlocks(wp.blocks.createBlock('vr-tour/tour', { tourId: '${tourId}' }))`);
      // ServerSideRender asks the server for the block's HTML: the same iframe a reader gets.
      const preview = page.locator(`.wp-block-vr-tour-tour iframe[src="${fixture.app.url}/embed/${tourId}"]`);
      await preview.waitFor({ timeout: 60_000 });
      await tourFrame(page, tourId);
      await saveScreenshot('wordpress-block-editor.png', await page.screenshot());
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  }, 120_000);

  it('leaves a private tour’s URL plain text', async () => {
    const { tourId } = await fixture.tour({ visibility: 'private', atMarker: true });
    const url = `${fixture.app.url}/t/${tourId}`;
    const id = await post('Private', ['Not yet:', url]);
    const { page, html } = await openPost(id);
    try {
      expect(iframeTags(html)).toEqual([]);
      // WordPress 6.1 leaves a URL it could not embed as the line's text.
      expect(html).toContain(`<p>${url}</p>`);
    } finally {
      await page.close();
    }
  }, 60_000);
});
