/**
 * The shared renderer's canvas and WebGL 2 context, owned by the element shell
 * rather than the renderer chunk: when a panorama level above the safe 4096 px
 * would serve better, the GPU's texture limit is read here before three.js has
 * arrived, and the renderer then uses the same context. (Made any earlier, for
 * every tour, it only delayed the first picture: making a context blocks this
 * thread on the GPU process while the panorama's bytes are waiting for it.)
 */
export interface RendererContext {
  readonly canvas: HTMLCanvasElement;
  readonly gl: WebGL2RenderingContext;
  /** MAX_TEXTURE_SIZE of this GPU. */
  readonly maxTextureSize: number;
}

/** One full-screen pass needs no depth, stencil or antialiasing; an opaque canvas composites cheaper. */
const CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
  alpha: false,
  antialias: false,
  depth: false,
  stencil: false,
  premultipliedAlpha: true,
  preserveDrawingBuffer: false,
  powerPreference: 'low-power',
};

let made: RendererContext | null | undefined;

/** The context if it was made already (never makes one). */
export const madeContext = (): RendererContext | null => made ?? null;

/** The page's one context, made on first call; null when WebGL 2 is unavailable. */
export function sharedContext(): RendererContext | null {
  if (made !== undefined) return made;
  const canvas = document.createElement('canvas');
  const gl = canvas.getContext('webgl2', CONTEXT_ATTRIBUTES);
  if (!gl) return (made = null);
  return (made = { canvas, gl, maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number });
}
