// Only classes the page's renderer already uses, or small ones: three.js lives in the renderer chunk, which every tour loads.
import { BackSide, BufferAttribute, DoubleSide, BufferGeometry, Group, Mesh, PerspectiveCamera, Quaternion, Scene, ShaderMaterial, Vector3 } from 'three';
import type { Hotspot, Scene as TourScene } from '@vr-tour/protocol';
import type { PanelsElement } from '../panels/host.js';
import { lendRenderer, threeTexture } from '../renderer/renderer.js';
import type { RenderTarget } from '../renderer/types.js';

/** The element as the immersive session drives it: its frames (what to draw) and its hotspots. */
export type VrElement = PanelsElement & RenderTarget;

const RAD = Math.PI / 180;
/** Metres from the eye: the box the panorama is drawn on, and the hotspot markers well inside it. */
const BOX_HALF_SIZE = 50;
const MARKER_DISTANCE = 8;
const MARKER_RADIUS = 0.45;

/** A box around the eye: any closed shape will do, since each fragment looks its direction up in the panorama. */
function boxGeometry(half: number): BufferGeometry {
  const corners = [-1, 1].flatMap((x) => [-1, 1].flatMap((y) => [-1, 1].flatMap((z) => [x * half, y * half, z * half])));
  // Corner i has x = bit 2, y = bit 1, z = bit 0; two triangles per face.
  const faces = [[0, 1, 3, 2], [4, 6, 7, 5], [0, 4, 5, 1], [2, 3, 7, 6], [0, 2, 6, 4], [1, 5, 7, 3]];
  return new BufferGeometry()
    .setAttribute('position', new BufferAttribute(new Float32Array(corners), 3))
    .setIndex(faces.flatMap(([a, b, c, d]) => [a!, b!, c!, a!, c!, d!]));
}

/** A square of 2 r facing +z, whose material draws a disc in it. */
function squareGeometry(r: number): BufferGeometry {
  return new BufferGeometry()
    .setAttribute('position', new BufferAttribute(new Float32Array([-r, -r, 0, r, -r, 0, r, r, 0, -r, r, 0]), 3))
    .setAttribute('uv', new BufferAttribute(new Float32Array([0, 0, 1, 0, 1, 1, 0, 1]), 2))
    .setIndex([0, 1, 2, 0, 2, 3]);
}

const flatVertex = /* glsl */ `
  varying vec2 at;
  void main() {
    at = uv * 2.0 - 1.0;
    gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
  }`;

/** A hotspot's disc: its colour with a white rim; outside the circle, nothing. */
const discMaterial = (rgb: [number, number, number]) =>
  new ShaderMaterial({
    depthTest: false,
    side: DoubleSide,
    uniforms: { color: { value: rgb } },
    vertexShader: flatVertex,
    fragmentShader: /* glsl */ `
      uniform vec3 color;
      varying vec2 at;
      void main() {
        float r = length(at);
        if (r > 1.0) discard;
        gl_FragColor = vec4(r > 0.84 ? vec3(1.0) : color, 1.0);
      }`,
  });

/** A controller's ray: a thin beam along -z, two crossed strips (a Line would add its class to every tour's renderer chunk). */
function rayBeam(length: number): BufferGeometry {
  const w = 0.003;
  const strips = ([[w, 0], [0, w]] as const).flatMap(([x, y]) => [-x, -y, 0, x, y, 0, x, y, -length, -x, -y, -length]);
  return new BufferGeometry()
    .setAttribute('position', new BufferAttribute(new Float32Array(strips), 3))
    .setIndex([0, 1, 2, 0, 2, 3, 4, 5, 6, 4, 6, 7]);
}

const rayMaterial = () =>
  new ShaderMaterial({
    side: DoubleSide,
    vertexShader: 'void main() { gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0); }',
    fragmentShader: 'void main() { gl_FragColor = vec4(1.0); }',
  });

/**
 * The panorama around the viewer: a box whose fragments look their direction
 * up in the equirectangular image, as the page's shader does (yaw 0 at the
 * image's centre column, growing to the right). `yawOffset` turns the
 * panorama so that the way the visitor faces in the headset at the start is
 * the view the page showed.
 */
const panoramaMaterial = () =>
  new ShaderMaterial({
    side: BackSide, // seen from inside
    depthTest: false,
    depthWrite: false,
    uniforms: { mapA: { value: null }, mapB: { value: null }, mixB: { value: 0 }, yawOffset: { value: 0 } },
    vertexShader: /* glsl */ `
      varying vec3 dir;
      void main() {
        dir = position;
        gl_Position = projectionMatrix * modelViewMatrix * vec4(position, 1.0);
      }`,
    fragmentShader: /* glsl */ `
      uniform sampler2D mapA;
      uniform sampler2D mapB;
      uniform float mixB;
      uniform float yawOffset;
      varying vec3 dir;
      vec4 pano(sampler2D map, vec3 d) {
        // three.js looks down -z with x to the right: the panorama's forward is -z.
        float lon = atan(d.x, -d.z) + yawOffset;
        return texture2D(map, vec2(fract(lon * 0.15915494309189535 + 0.5), 0.5 - asin(clamp(d.y, -1.0, 1.0)) * 0.3183098861837907));
      }
      void main() {
        vec3 d = normalize(dir);
        vec4 color = pano(mapA, d);
        if (mixB > 0.0) color = mix(color, pano(mapB, d), mixB);
        gl_FragColor = vec4(color.rgb, 1.0);
      }`,
  });

/** The direction, in the session's space, of a point of the panorama (degrees), with the panorama turned by `yawOffset`. */
function toWorld(yaw: number, pitch: number, yawOffset: number): Vector3 {
  const lon = (yaw - yawOffset) * RAD;
  const lat = pitch * RAD;
  return new Vector3(Math.sin(lon) * Math.cos(lat), Math.sin(lat), -Math.cos(lon) * Math.cos(lat));
}

/**
 * Shows the element's tour in an immersive VR session until it ends: the
 * panorama around the visitor, the scene's hotspots as discs, and a ray from
 * each controller; a select (trigger) on a disc activates its hotspot as a
 * click on its button would (a navigation hotspot changes the scene).
 */
export async function present(element: VrElement, request: Promise<XRSession>): Promise<void> {
  const session = await request;
  const lent = lendRenderer();
  if (!lent) {
    await session.end();
    return;
  }
  const { renderer } = lent;
  const world = new Scene();
  const camera = new PerspectiveCamera();
  const material = panoramaMaterial();
  const box = new Mesh(boxGeometry(BOX_HALF_SIZE), material);
  box.frustumCulled = false;
  const markers = new Group();
  const around = new Group();
  around.add(box, markers);
  world.add(around);
  const rayGeometry = rayBeam(MARKER_DISTANCE);
  const rayShader = rayMaterial();
  const rays = [0, 1].map((index) => {
    const controller = renderer.xr.getController(index);
    controller.add(new Mesh(rayGeometry, rayShader));
    world.add(controller);
    return controller;
  });
  const markerGeometry = squareGeometry(MARKER_RADIUS);
  const markerMaterials = { navigation: discMaterial([0.23, 0.51, 0.96]), other: discMaterial([0.96, 0.62, 0.04]) };
  let yawOffset = element.getView().yaw;
  let shownScene: TourScene | null = null;

  const placeMarkers = (scene: TourScene) => {
    markers.clear();
    for (const hotspot of scene.hotspots) {
      const disc = new Mesh(markerGeometry, hotspot.type === 'navigation' ? markerMaterials.navigation : markerMaterials.other);
      const direction = toWorld(hotspot.yaw, hotspot.pitch, yawOffset);
      disc.position.copy(direction).multiplyScalar(MARKER_DISTANCE);
      // Facing the eye at the centre.
      disc.quaternion.setFromUnitVectors(new Vector3(0, 0, 1), direction.negate());
      disc.renderOrder = 1;
      disc.userData.hotspot = hotspot;
      markers.add(disc);
    }
  };

  const onSelect = (event: XRInputSourceEvent) => {
    const space = renderer.xr.getReferenceSpace();
    const pose = space && event.frame.getPose(event.inputSource.targetRaySpace, space);
    if (!pose) return;
    const { position, orientation } = pose.transform;
    const origin = new Vector3(position.x, position.y, position.z);
    const direction = new Vector3(0, 0, -1).applyQuaternion(new Quaternion(orientation.x, orientation.y, orientation.z, orientation.w));
    // The nearest disc the ray passes through: its centre lies ahead, within a disc's radius of the ray.
    let hotspot: Hotspot | undefined;
    let nearest = Infinity;
    for (const disc of markers.children) {
      const toCentre = disc.position.clone().add(around.position).sub(origin);
      const along = toCentre.dot(direction);
      if (along > 0 && along < nearest && toCentre.lengthSq() - along * along < MARKER_RADIUS ** 2) {
        nearest = along;
        hotspot = disc.userData.hotspot as Hotspot;
      }
    }
    // Activated as its button is: the click is recorded, `hotspot-click` dispatched, the renderer's action run.
    if (hotspot) element.renderRoot.querySelector<HTMLElement>(`.spot[data-id="${hotspot.id}"]`)?.click();
  };
  session.addEventListener('select', onSelect);

  renderer.xr.enabled = true;
  renderer.xr.setReferenceSpaceType('local');
  await renderer.xr.setSession(session);
  const head = new Vector3();
  renderer.setAnimationLoop((now) => {
    lent.uploadNext();
    const spec = element.frame(now);
    const scene = element.currentScene;
    if (scene && scene !== shownScene) {
      // A new scene: it opens at its view straight ahead of where the visitor looks now.
      const facing = new Vector3(0, 0, -1).applyQuaternion(renderer.xr.getCamera().quaternion);
      yawOffset = element.getView().yaw - Math.atan2(facing.x, -facing.z) / RAD;
      shownScene = scene;
      placeMarkers(scene);
    }
    if (spec) {
      material.uniforms.mapA!.value = threeTexture(spec.a);
      material.uniforms.mapB!.value = spec.b ? threeTexture(spec.b) : threeTexture(spec.a);
      material.uniforms.mixB!.value = spec.b ? spec.mix : 0;
    }
    material.uniforms.yawOffset!.value = yawOffset * RAD;
    // The panorama and the markers stay centred on the eyes, wherever the visitor stands.
    around.position.copy(head.setFromMatrixPosition(renderer.xr.getCamera().matrixWorld));
    renderer.render(world, camera);
    if (spec) element.drawn(now);
  });

  session.addEventListener(
    'end',
    () => {
      renderer.setAnimationLoop(null);
      renderer.xr.enabled = false;
      session.removeEventListener('select', onSelect);
      for (const controller of rays) controller.clear();
      for (const used of [box.geometry, material, markerGeometry, rayGeometry, rayShader, ...Object.values(markerMaterials)]) used.dispose();
      lent.done();
      element.requestUpdate();
    },
    { once: true },
  );
}
