import { executeServerCommand, setViewport } from '@web/test-runner-commands';
import type { VrTourElement } from '../../src/vr-tour.js';
import type { Rgb } from './assert.js';
import { frames, sleep } from './fixture.js';

/** The demo site (demo/site) in a frame filling the test page, its tour shown sharp. */
export interface DemoPage {
  frame: HTMLIFrameElement;
  win: Window;
  doc: Document;
  element: VrTourElement;
}

export interface Point {
  x: number;
  y: number;
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

const cdp = (method: string, params?: object) => executeServerCommand('cdp', { method, params });

/** Opens the demo page at a viewport size; `touch` emulates a phone's touch screen (pointer: coarse, touch events). */
export async function openDemoPage(viewport: { width: number; height: number }, touch = false): Promise<DemoPage> {
  await setViewport(viewport);
  await cdp('Emulation.setTouchEmulationEnabled', { enabled: touch, maxTouchPoints: touch ? 5 : 1 });
  const frame = document.createElement('iframe');
  frame.style.cssText = 'position:fixed;left:0;top:0;width:100vw;height:100vh;border:0;z-index:1';
  frame.src = '/fixtures/demo/';
  document.body.append(frame);
  await new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const doc = frame.contentDocument!;
  const element = doc.querySelector('vr-tour') as VrTourElement;
  // The tour may have loaded before a listener could be added: wait for its canvas instead.
  for (let tries = 0; tries < 600 && !element.shadowRoot?.querySelector('canvas.on'); tries += 1) await sleep(50);
  if (!element.shadowRoot?.querySelector('canvas.on')) throw new Error('the demo tour did not show within 30 s');
  await element.updateComplete;
  await frames(3);
  return { frame, win: frame.contentWindow!, doc, element };
}

export async function closeDemoPage(page: DemoPage | null): Promise<void> {
  page?.frame.remove();
  await cdp('Emulation.setTouchEmulationEnabled', { enabled: false });
  await setViewport({ width: 800, height: 600 });
}

/** Real touch input through the browser (Chrome DevTools Protocol), at page CSS px. */
export async function touch(type: 'touchStart' | 'touchMove' | 'touchEnd', points: Point[]): Promise<void> {
  await cdp('Input.dispatchTouchEvent', { type, touchPoints: points.map((point, id) => ({ x: point.x, y: point.y, id })) });
}

/** Fingers moving together from `from` by (dx, dy) in `steps`, then lifted. */
export async function swipe(from: Point[], dx: number, dy: number, steps = 12): Promise<void> {
  await touch('touchStart', from);
  for (let step = 1; step <= steps; step += 1) {
    await touch('touchMove', from.map((point) => ({ x: point.x + (dx * step) / steps, y: point.y + (dy * step) / steps })));
    await sleep(16);
  }
  await touch('touchEnd', []);
  await sleep(50);
}

export async function tap(point: Point): Promise<void> {
  await touch('touchStart', [point]);
  await sleep(30);
  await touch('touchEnd', []);
  await sleep(50);
}

/** The composited page in a CSS px rectangle (rows of pixels), as the visitor sees it. */
export function screenPixels(x: number, y: number, width: number, height: number): Promise<Rgb[][]> {
  return executeServerCommand('screen-pixels', { x: Math.round(x), y: Math.round(y), width: Math.max(1, Math.round(width)), height: Math.max(1, Math.round(height)) });
}

/** The accessibility tree of the demo page's tour, as Playwright writes it. */
export function demoAriaSnapshot(): Promise<string> {
  return executeServerCommand('frame-aria-snapshot', 'vr-tour');
}

/** The tour's hotspot marker with this accessible name. */
export const spotNamed = (element: VrTourElement, name: string): HTMLElement =>
  [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part~=hotspot]')].find((spot) => spot.getAttribute('aria-label') === name)!;

export const luminance = ([r, g, b]: Rgb): number => 0.2126 * r + 0.7152 * g + 0.0722 * b;
