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
import { basis, tanHalf } from '../math.js';
import type { FrameSpec, PanoTexture, RenderTarget, RendererStats, SharedRenderer } from './types.js';
import { fragmentShader, vertexShader } from './shaders.js';

/**
 * The one WebGL renderer of the page (as in model-viewer): a hidden canvas
 * that draws each visible element's panorama in turn and copies the pixels
 * into that element's own 2D canvas. Frames run only while some element is
 * invalid or animating, so an idle page makes no requestAnimationFrame calls.
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
  private lost = false;

  constructor() {
    const canvas = document.createElement('canvas');
    // Throws when WebGL 2 is unavailable: callers report 'webgl-unavailable'.
    this.gl = new WebGLRenderer({ canvas, antialias: false, alpha: false, depth: false, stencil: false, powerPreference: 'low-power' });
    this.gl.autoClear = false;
    this.maxTextureSize = this.gl.capabilities.maxTextureSize;
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
  }

  upload(image: ImageBitmap): Promise<PanoTexture> {
    return new Promise((resolve) => {
      this.uploads.push({ texture: new PanoramaTexture(image), resolve });
      this.schedule();
    });
  }

  stats(): RendererStats {
    return { frames: this.frames, textures: this.gl.info.memory.textures, contexts: 1, maxTextureSize: this.maxTextureSize };
  }

  private schedule(): void {
    if (!this.raf) this.raf = requestAnimationFrame((now) => this.loop(now));
  }

  private loop(now: number): void {
    this.raf = 0;
    if (this.lost) return;
    this.frames += 1;
    const upload = this.uploads.shift();
    if (upload) {
      this.gl.initTexture(upload.texture.texture);
      upload.resolve(upload.texture);
    }
    const targets = [...this.dirty];
    this.dirty.clear();
    for (const target of targets) {
      const spec = target.frame(now);
      if (!spec) continue;
      this.draw(target, spec);
      if (spec.animating) this.dirty.add(target);
      target.drawn(now);
    }
    if (this.dirty.size || this.uploads.length) this.schedule();
  }

  private draw(target: RenderTarget, spec: FrameSpec): void {
    const { width, height } = spec;
    const canvas = this.gl.domElement;
    if (canvas.width < width || canvas.height < height) {
      this.gl.setSize(Math.max(canvas.width, width), Math.max(canvas.height, height), false);
    }
    const [fwd, right, up] = basis(spec.view);
    const u = this.material.uniforms;
    u.mapA!.value = (spec.a as PanoramaTexture).texture;
    u.mapB!.value = spec.b ? (spec.b as PanoramaTexture).texture : u.mapA!.value;
    u.mixB!.value = spec.b ? spec.mix : 0;
    u.fwd!.value = fwd;
    u.right!.value = right;
    u.up!.value = up;
    u.tanHalf!.value = tanHalf(spec.view.fov, width, height);
    this.gl.setViewport(0, 0, width, height);
    this.gl.render(this.scene, this.camera);
    const context = target.canvas2d.getContext('2d', { alpha: false });
    // The viewport sits at the bottom-left of the shared canvas (GL's origin).
    context?.drawImage(canvas, 0, canvas.height - height, width, height, 0, 0, width, height);
  }
}

class PanoramaTexture implements PanoTexture {
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
  }

  dispose(): void {
    this.texture.dispose();
    this.image?.close();
    this.image = null;
  }
}

let shared: PanoramaRenderer | null = null;

/** The page's renderer, made on first use. Throws when WebGL is unavailable. */
export function sharedRenderer(): SharedRenderer {
  return (shared ??= new PanoramaRenderer());
}

/** Debug hook for tests and tools: frames drawn and live textures, or null before any renderer exists. */
export function rendererStats(): RendererStats | null {
  return shared?.stats() ?? null;
}

/** Test hook: the shared renderer's WebGL context (to simulate a context loss). */
export function rendererContext(): WebGL2RenderingContext | null {
  return shared ? (shared as unknown as { gl: WebGLRenderer }).gl.getContext() as WebGL2RenderingContext : null;
}
