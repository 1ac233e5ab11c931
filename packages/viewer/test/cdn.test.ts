import { closeColor, ok } from './helpers/assert.js';
import type { VrTourElement } from '../src/vr-tour.js';
import { executeServerCommand, expectedColor, nextEvent, pixel } from './helpers/fixture.js';

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; media-src 'self'";

/**
 * Adds a `<vr-tour>` to the frame's page from here, with the `load` listener
 * in place first: made by the page itself, a warm cache can let it load
 * before a listener attached after the frame's own load could hear it.
 */
async function mountInFrame(frame: HTMLIFrameElement, attributes: Record<string, string>): Promise<HTMLElement> {
  const element = frame.contentDocument!.createElement('vr-tour');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  const loaded = nextEvent(element, 'load', 25000);
  frame.contentDocument!.body.append(element);
  await loaded;
  return element;
}

describe('CDN bundle', () => {
  it('draws a tour from dist/cdn/vr-tour.js under a strict Content-Security-Policy (no eval, no inline styles)', async () => {
    ok(await executeServerCommand('cdn-bytes'), 'dist/cdn is built');
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width:420px;height:320px;border:0';
    const violations: string[] = [];
    frame.srcdoc = `<!doctype html><meta http-equiv="Content-Security-Policy" content="${CSP}">
      <script type="module" src="/dist/cdn/vr-tour.js"></script>`;
    document.body.append(frame);
    await nextEvent(frame, 'load');
    const win = frame.contentWindow!;
    win.document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`));
    const element = await mountInFrame(frame, { src: '/fixtures/tour.json', loading: 'eager', controls: '' });
    closeColor(await pixel(element as VrTourElement, element.clientWidth / 2, element.clientHeight / 2), await expectedColor('lobby', 0, 0), 28, 'centre pixel:');
    ok(violations.length === 0, `CSP violations: ${violations.join(', ')}`);
    frame.remove();
  });

  it('two copies of the bundle on one page do not throw, and the element works', async () => {
    const frame = document.createElement('iframe');
    frame.style.cssText = 'width:420px;height:320px;border:0';
    // Two URLs are two module instances, each with its own class, as with two embeds of different builds.
    frame.srcdoc = `<!doctype html><script>window.errors = []; addEventListener('error', (e) => errors.push(String(e.message)));
      window.loaded = 0;</script>
      <script type="module" src="/dist/cdn/vr-tour.js" onload="loaded++"></script>
      <script type="module" src="/dist/cdn/vr-tour.js?copy=2" onload="loaded++"></script>`;
    document.body.append(frame);
    await nextEvent(frame, 'load');
    const win = frame.contentWindow as Window & { errors: string[]; loaded: number };
    await mountInFrame(frame, { src: '/fixtures/tour.json', loading: 'eager' });
    ok(win.loaded === 2, `both copies ran (${win.loaded})`);
    ok(win.errors.length === 0, `errors: ${win.errors.join(', ')}`);
    frame.remove();
  });
});
