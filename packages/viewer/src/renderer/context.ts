/**
 * The shared renderer's canvas and WebGL 2 context, made by the element shell
 * before three.js has arrived. Making a context is synchronous and slow (the
 * GPU process sets up a command buffer and answers capability queries: a few
 * hundred ms with a software GPU), so it overlaps the download and parse of
 * the renderer chunk instead of following them. It also tells the GPU's
 * texture limit early, so the panorama level can be chosen without waiting.
 */
export interface RendererContext {
  readonly canvas: HTMLCanvasElement;
  readonly gl: WebGL2RenderingContext;
  /** MAX_TEXTURE_SIZE of this GPU. */
  readonly maxTextureSize: number;
}

/** What three's WebGLRenderer would ask for with these options; it uses the context as given. */
export const CONTEXT_ATTRIBUTES: WebGLContextAttributes = {
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
  // Asked now, while the renderer chunk is still on its way: three asks for the
  // extension list at start, and the GPU process answers that slowly the first time.
  gl.getSupportedExtensions();
  return (made = { canvas, gl, maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE) as number });
}
