import {
  BufferAttribute,
  BufferGeometry,
  Camera,
  ClampToEdgeWrapping,
  LinearFilter,
  Mesh,
  RepeatWrapping,
  Scene,
  ShaderMaterial,
  Texture,
  WebGLRenderer,
} from 'three';
import type { RendererContext } from './context.js';
import type { FrameSpec, PanoTexture, RenderTarget, RendererStats, SharedRenderer } from './types.js';
import { fragmentShader, vertexShader } from './shaders.js';

/**
 * The one WebGL renderer of the page (as in model-viewer). While a single
 * element is on screen, its canvas is shown in that element and drawn
 * directly; with more, it draws each visible element's panorama in turn and
 * copies the pixels into that element's own 2D canvas. Frames run only while
 * some element is invalid or animating, so an idle page makes no
 * requestAnimationFrame calls.
 */
class PanoramaRenderer implements SharedRenderer {
  readonly maxTextureSize: number;
  private readonly gl: WebGLRenderer;
  private readonly material: ShaderMaterial;
  private readonly scene = new Scene();
  private readonly camera = new Camera();
  private readonly targets = new Set<RenderTarget>();
  private readonly dirty = new Set<RenderTarget>();
  private readonly uploads: Array<{ texture: PanoramaTexture; resolve: (texture: PanoTexture) => void }> = [];
  private raf = 0;
  private frames = 0;
  private copies = 0;
  private lost = false;
  /** True while an immersive (VR) session has the renderer: the page's frames wait. */
  private lent = false;
  /** The one target on screen this frame, drawn straight into the shared canvas; null while several are. */
  private direct: RenderTarget | null = null;
  /** The target the shared canvas is shown in. */
  private mounted: RenderTarget | null = null;

  constructor({ canvas, gl, maxTextureSize }: RendererContext) {
    this.gl = new WebGLRenderer({ canvas, context: gl });
    // The one program is fixed and tested: no synchronous log queries after linking it.
    this.gl.debug.checkShaderErrors = false;
    this.gl.autoClear = false;
    this.maxTextureSize = maxTextureSize;
    const geometry = new BufferGeometry();
    // One triangle covering the viewport; the fragment shader casts a ray per pixel.
    geometry.setAttribute('position', new BufferAttribute(new Float32Array([-1, -1, 0, 3, -1, 0, -1, 3, 0]), 3));
    this.material = new ShaderMaterial({
      vertexShader,
      fragmentShader,
      depthTest: false,
      depthWrite: false,
      uniforms: {
        mapA: { value: null },
        mapB: { value: null },
        mixB: { value: 0 },
        fwd: { value: [0, 0, 1] },
        right: { value: [1, 0, 0] },
        up: { value: [0, 1, 0] },
        tanHalf: { value: [1, 1] },
      },
    });
    const mesh = new Mesh(geometry, this.material);
    mesh.frustumCulled = false;
    this.scene.add(mesh);
    // The program is linked now, while the first panorama may still be decoding, not in the first frame.
    this.gl.compile(this.scene, this.camera);
    canvas.addEventListener('webglcontextlost', () => {
      this.lost = true;
      for (const target of this.targets) target.contextLost(true);
    });
    canvas.addEventListener('webglcontextrestored', () => {
      // three rebuilt its state: every live texture uploads again on its next draw.
      this.lost = false;
      for (const target of this.targets) {
        target.contextLost(false);
        this.invalidate(target);
      }
    });
  }

  invalidate(target: RenderTarget): void {
    this.targets.add(target);
    this.dirty.add(target);
    this.schedule();
  }

  remove(target: RenderTarget): void {
    this.targets.delete(target);
    this.dirty.delete(target);
    if (this.mounted === target) this.unmount();
  }

  upload(image: ImageBitmap): Promise<PanoTexture> {
    return new Promise((resolve) => {
      this.uploads.push({ texture: new PanoramaTexture(image), resolve });
      this.schedule();
    });
  }

  stats(): RendererStats {
    return {
      frames: this.frames,
      copies: this.copies,
      textures: this.gl.info.memory.textures,
      textureBytes: [...PanoramaTexture.live].reduce((sum, texture) => sum + texture.bytes, 0),
      contexts: 1,
      maxTextureSize: this.maxTextureSize,
    };
  }

  /**
   * Lends the WebGL renderer to an immersive session (`xr/`): the page's
   * frames stop until `done()`, and the session's frames take the uploads.
   */
  lend(): LentRenderer {
    this.lent = true;
    cancelAnimationFrame(this.raf);
    this.raf = 0;
    return {
      renderer: this.gl,
      uploadNext: () => this.uploadNext(),
      done: () => {
        this.lent = false;
        for (const target of this.targets) this.invalidate(target);
      },
    };
  }

  private schedule(): void {
    if (!this.raf && !this.lent) this.raf = requestAnimationFrame((now) => this.loop(now));
  }

  /** At most one big upload per frame. */
  private uploadNext(): void {
    const upload = this.uploads.shift();
    if (upload) {
      this.gl.initTexture(upload.texture.texture);
      upload.resolve(upload.texture);
    }
  }

  private loop(now: number): void {
    this.raf = 0;
    if (this.lost || this.lent) return;
    this.frames += 1;
    this.uploadNext();
    const onScreen = [...this.targets].filter((target) => target.onScreen);
    this.direct = onScreen.length === 1 ? onScreen[0]! : null;
    const leaving = this.mounted !== this.direct ? this.mounted : null;
    // It stops showing the shared canvas: its own canvas gets the pixels in this same frame, so nothing blinks.
    if (leaving?.onScreen) this.dirty.add(leaving);
    const targets = [...this.dirty];
    this.dirty.clear();
    for (const target of targets) {
      const spec = target.frame(now);
      if (!spec) continue;
      this.draw(target, spec);
      if (spec.animating) this.dirty.add(target);
      target.drawn(now);
    }
    if (leaving && this.mounted === leaving) this.unmount();
    if (this.dirty.size || this.uploads.length) this.schedule();
  }

  private unmount(): void {
    this.mounted?.showCanvas(null);
    this.mounted = null;
  }

  private draw(target: RenderTarget, spec: FrameSpec): void {
    const { width, height } = spec;
    const canvas = this.gl.domElement;
    const direct = target === this.direct;
    if (direct ? canvas.width !== width || canvas.height !== height : canvas.width < width || canvas.height < height) {
      // Shown directly, the canvas is the element's size; copied from, it is large enough for every element.
      this.gl.setSize(direct ? width : Math.max(canvas.width, width), direct ? height : Math.max(canvas.height, height), false);
    }
    const { fwd, right, up, tanHalf } = spec.camera;
    const u = this.material.uniforms;
    u.mapA!.value = (spec.a as PanoramaTexture).texture;
    u.mapB!.value = spec.b ? (spec.b as PanoramaTexture).texture : u.mapA!.value;
    u.mixB!.value = spec.b ? spec.mix : 0;
    u.fwd!.value = fwd;
    u.right!.value = right;
    u.up!.value = up;
    u.tanHalf!.value = tanHalf;
    // At the canvas's top-left: GL counts rows from the bottom.
    this.gl.setViewport(0, canvas.height - height, width, height);
    this.gl.render(this.scene, this.camera);
    if (direct) {
      if (this.mounted !== target) {
        this.unmount();
        target.showCanvas(canvas);
        this.mounted = target;
      }
      return;
    }
    this.copies += 1;
    target.canvas2d.getContext('2d', { alpha: false })?.drawImage(canvas, 0, 0, width, height, 0, 0, width, height);
  }
}

/** The renderer as an immersive session borrows it. */
export interface LentRenderer {
  readonly renderer: WebGLRenderer;
  /** Uploads the next queued texture (the page's frames, which would, are stopped). */
  uploadNext(): void;
  /** Gives the renderer back to the page. */
  done(): void;
}

/** The three.js texture behind a panorama texture, for the immersive session's own material. */
export const threeTexture = (texture: PanoTexture): Texture => (texture as PanoramaTexture).texture;

class PanoramaTexture implements PanoTexture {
  /** Every texture not yet disposed, for the stats. */
  static readonly live = new Set<PanoramaTexture>();
  readonly texture: Texture;
  readonly width: number;
  readonly height: number;
  readonly bytes: number;

  constructor(private image: ImageBitmap | null) {
    const texture = (this.texture = new Texture(image as ImageBitmap));
    texture.wrapS = RepeatWrapping;
    texture.wrapT = ClampToEdgeWrapping;
    // No mipmaps: the level is picked to fit the screen, and mipmaps would
    // draw a seam where the longitude wraps.
    texture.minFilter = texture.magFilter = LinearFilter;
    texture.generateMipmaps = false;
    texture.flipY = false;
    texture.needsUpdate = true;
    this.width = image!.width;
    this.height = image!.height;
    this.bytes = this.width * this.height * 4;
    PanoramaTexture.live.add(this);
  }

  dispose(): void {
    PanoramaTexture.live.delete(this);
    this.texture.dispose();
    this.image?.close();
    this.image = null;
  }
}

let shared: PanoramaRenderer | null = null;

/** The page's renderer, made on first use on the page's one context (renderer/context.ts). */
export function sharedRenderer(context: RendererContext): SharedRenderer {
  return (shared ??= new PanoramaRenderer(context));
}

/** The page's renderer for an immersive session, or null before any exists. */
export const lendRenderer = (): LentRenderer | null => shared?.lend() ?? null;

/** Debug hook for tests and tools: frames drawn and live textures, or null before any renderer exists. */
export function rendererStats(): RendererStats | null {
  return shared?.stats() ?? null;
}

/** Test hook: the shared renderer's WebGL context (to simulate a context loss). */
export function rendererContext(): WebGL2RenderingContext | null {
  return shared ? (shared as unknown as { gl: WebGLRenderer }).gl.getContext() as WebGL2RenderingContext : null;
}
