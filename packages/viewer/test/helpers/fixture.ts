import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/vr-tour.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import { AssertionError, type Rgb } from './assert.js';

export interface RoomInfo {
  id: string;
  name: string;
  sceneId: string;
  doors: Array<{ yaw: number; target: string }>;
  /** Where the room sits on the floor plan of `?plans=1` (0..1 across and down). */
  plan: { x: number; y: number };
}

export async function rooms(): Promise<{ source: string; tourId: string; brand: { accentColor: string; primaryColor: string }; rooms: RoomInfo[] }> {
  return (await fetch('/fixtures/rooms')).json();
}

export async function expectedColor(room: string, yaw: number, pitch: number): Promise<Rgb> {
  return (await fetch(`/fixtures/expected?room=${room}&yaw=${yaw}&pitch=${pitch}`)).json();
}

/** Adds a `<vr-tour>` (eager by default) of `width` x `height` CSS px to the body. */
export function mount(attributes: Record<string, string>, width = 400, height = 300, parent: HTMLElement = document.body): VrTourElement {
  const element = document.createElement('vr-tour');
  element.setAttribute('loading', 'eager');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.style.width = `${width}px`;
  element.style.height = `${height}px`;
  parent.append(element);
  return element;
}

export function nextEvent<T extends Event>(target: EventTarget, type: string, timeout = 20000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} event within ${timeout} ms`)), timeout);
    target.addEventListener(type, (event) => (clearTimeout(timer), resolve(event as T)), { once: true });
  });
}

export const frames = (count = 2): Promise<void> =>
  new Promise((resolve) => {
    const step = (left: number) => (left ? requestAnimationFrame(() => step(left - 1)) : resolve());
    step(count);
  });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The canvas showing the element's panorama: the shared renderer's own while
 * the element is the only one on screen (it sits after the element's 2D
 * canvas), else the element's 2D canvas with the pixels copied in.
 */
export function canvasOf(element: VrTourElement): HTMLCanvasElement {
  const canvases = element.shadowRoot!.querySelectorAll('canvas');
  return canvases[canvases.length - 1]!;
}

/**
 * Real rendered pixels: what the element's visible canvas shows at CSS px (x, y).
 * The shared WebGL canvas keeps its pixels only until they are composited, so
 * they are read in the frame that draws them (the view is set again to ask for one).
 */
export async function pixel(element: VrTourElement, x: number, y: number): Promise<Rgb> {
  const canvas = canvasOf(element);
  const scale = canvas.width / element.clientWidth;
  const [px, py] = [Math.floor(x * scale), Math.floor(y * scale)];
  // three.js marks the canvas it renders to.
  const gl = canvas.hasAttribute('data-engine') ? canvas.getContext('webgl2') : null;
  if (!gl) {
    const data = canvas.getContext('2d')!.getImageData(px, py, 1, 1).data;
    return [data[0]!, data[1]!, data[2]!];
  }
  const data = new Uint8Array(4);
  await new Promise<void>((resolve) => {
    element.drawn = (now) => {
      delete (element as Partial<VrTourElement>).drawn;
      // GL counts rows from the bottom.
      gl.readPixels(px, canvas.height - 1 - py, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, data);
      resolve();
      element.drawn(now);
    };
    const view = element.getView();
    element.lookAt(view.yaw, view.pitch, view.fov);
  });
  return [data[0]!, data[1]!, data[2]!];
}

/** The CSS x where a bearing `delta` degrees right of the centre lands (horizontal fov). */
export function xForYaw(element: VrTourElement, delta: number, fov: number): number {
  const half = element.clientWidth / 2;
  return half + (half * Math.tan((delta * Math.PI) / 180)) / Math.tan((fov * Math.PI) / 360);
}

/** Waits (up to about 10 s) until `find` gives something, and returns it; fails naming `what` otherwise. */
export async function waitFor<T>(find: () => T | null | undefined | false, what: string): Promise<T> {
  for (let tries = 0; tries < 200 && !find(); tries += 1) await sleep(50);
  const found = find();
  if (!found) throw new AssertionError(`waited in vain for ${what}`);
  return found;
}

/** The accessibility tree Chromium exposes under a selector, as Playwright writes it. */
export const ariaSnapshot = (selector: string) => executeServerCommand('aria-snapshot', selector) as Promise<string>;

/** What the page shows at a CSS px, off a screenshot (the compositor's pixels: DOM over canvas). */
export const screenPixel = (x: number, y: number) => executeServerCommand('screen-pixel', { x, y }) as Promise<Rgb>;

export function cleanup(): void {
  document.querySelectorAll('vr-tour').forEach((element) => element.remove());
}

export { executeServerCommand };
