import type { Vec3 } from '../math.js';

/** A panorama texture living in the shared renderer. */
export interface PanoTexture {
  readonly width: number;
  readonly height: number;
  /** Decoded size in bytes (width x height x 4). */
  readonly bytes: number;
  dispose(): void;
}

/** What an element asks the shared renderer to draw this frame. */
export interface FrameSpec {
  /** The view as the shader takes it: the camera's forward, right and up unit vectors, and tan(fov/2) across and up. */
  camera: { fwd: Vec3; right: Vec3; up: Vec3; tanHalf: [number, number] };
  a: PanoTexture;
  /** The scene fading in, drawn over `a` with opacity `mix`. */
  b: PanoTexture | null;
  mix: number;
  /** Device pixels. */
  width: number;
  height: number;
  /** True keeps the element in the next frame too (inertia, crossfade, autorotate). */
  animating: boolean;
}

/** An element the shared renderer draws into: its own 2D canvas, or the shared canvas shown in it. */
export interface RenderTarget {
  readonly canvas2d: HTMLCanvasElement;
  /** True while some of the target is on screen. */
  readonly onScreen: boolean;
  /** Shows the renderer's own canvas over the 2D canvas (while the target is the only one on screen), or takes it away (null). */
  showCanvas(canvas: HTMLCanvasElement | null): void;
  /** Called in the renderer's frame; null draws nothing. */
  frame(now: number): FrameSpec | null;
  /** Called after the frame was copied to the element's canvas. */
  drawn(now: number): void;
  /** The shared WebGL context was lost (true) or restored (false). */
  contextLost(lost: boolean): void;
}

export interface RendererStats {
  /** Frames drawn since the renderer started (one rAF callback each). */
  frames: number;
  /** Draws copied into an element's 2D canvas (none while a single element is on screen). */
  copies: number;
  /** Live textures (three's renderer.info.memory.textures). */
  textures: number;
  /** Decoded bytes of the live panorama textures (width x height x 4 each). */
  textureBytes: number;
  /** WebGL contexts made by the renderer: always 1. */
  contexts: number;
  maxTextureSize: number;
}

export interface SharedRenderer {
  readonly maxTextureSize: number;
  /** Asks for a frame for this target; nothing happens while no target is invalid. */
  invalidate(target: RenderTarget): void;
  remove(target: RenderTarget): void;
  /** Queues an upload; at most one big texture goes to the GPU per frame. */
  upload(image: ImageBitmap): Promise<PanoTexture>;
  stats(): RendererStats;
}
