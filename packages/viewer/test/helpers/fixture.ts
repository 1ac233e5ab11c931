import { executeServerCommand } from '@web/test-runner-commands';
import '../../src/vr-tour.js';
import type { VrTourElement } from '../../src/vr-tour.js';
import type { Rgb } from './assert.js';

export interface RoomInfo {
  id: string;
  name: string;
  sceneId: string;
  doors: Array<{ yaw: number; target: string }>;
}

export async function rooms(): Promise<{ source: string; tourId: string; rooms: RoomInfo[] }> {
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

export function canvasOf(element: VrTourElement): HTMLCanvasElement {
  return element.shadowRoot!.querySelector('canvas')!;
}

/** Real rendered pixels: what the shared renderer copied into the element's canvas, at CSS px (x, y). */
export function pixel(element: VrTourElement, x: number, y: number): Rgb {
  const canvas = canvasOf(element);
  const scale = canvas.width / element.clientWidth;
  const data = canvas.getContext('2d')!.getImageData(Math.floor(x * scale), Math.floor(y * scale), 1, 1).data;
  return [data[0]!, data[1]!, data[2]!];
}

/** The CSS x where a bearing `delta` degrees right of the centre lands (horizontal fov). */
export function xForYaw(element: VrTourElement, delta: number, fov: number): number {
  const half = element.clientWidth / 2;
  return half + (half * Math.tan((delta * Math.PI) / 180)) / Math.tan((fov * Math.PI) / 360);
}

export function cleanup(): void {
  document.querySelectorAll('vr-tour').forEach((element) => element.remove());
}

export { executeServerCommand };
