import {
  BackSide,
  BufferGeometry,
  CircleGeometry,
  Group,
  Line,
  LineBasicMaterial,
  Mesh,
  MeshBasicMaterial,
  PerspectiveCamera,
  Quaternion,
  Raycaster,
  RingGeometry,
  Scene,
  ShaderMaterial,
  SphereGeometry,
  Vector3,
} from 'three';
import type { Hotspot, Scene as TourScene } from '@vr-tour/protocol';
import type { PanelsElement } from '../panels/host.js';
import { lendRenderer, threeTexture } from '../renderer/renderer.js';
import type { RenderTarget } from '../renderer/types.js';

/** The element as the immersive session drives it: its frames (what to draw) and its hotspots. */
export type VrElement = PanelsElement & RenderTarget;

const RAD = Math.PI / 180;
/** Metres from the eye: the panorama sphere, and the hotspot markers well inside it. */
const SPHERE_RADIUS = 50;
const MARKER_DISTANCE = 8;
const MARKER_RADIUS = 0.45;

/**
 * The panorama around the viewer: a sphere whose fragments look the direction
 * up in the equirectangular image, as the page's shader does (yaw 0 at the
 * image's centre column, growing to the right). `yawOffset` turns the
 * panorama so that the way the visitor faces in the headset at the start is
 * the view the page showed.
 */
const sphereMaterial = () =>
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
  const material = sphereMaterial();
  const sphere = new Mesh(new SphereGeometry(SPHERE_RADIUS, 64, 32), material);
  const markers = new Group();
  const around = new Group();
  around.add(sphere, markers);
  world.add(around);
  const rays = [0, 1].map((index) => {
    const ray = new Line(new BufferGeometry().setFromPoints([new Vector3(), new Vector3(0, 0, -MARKER_DISTANCE)]), new LineBasicMaterial({ color: 0xffffff }));
    const controller = renderer.xr.getController(index);
    controller.add(ray);
    world.add(controller);
    return controller;
  });
  const markerGeometry = new CircleGeometry(MARKER_RADIUS, 32);
  const ringGeometry = new RingGeometry(MARKER_RADIUS, MARKER_RADIUS * 1.18, 32);
  const markerMaterials = {
    navigation: new MeshBasicMaterial({ color: 0x3b82f6, depthTest: false }),
    other: new MeshBasicMaterial({ color: 0xf59e0b, depthTest: false }),
    ring: new MeshBasicMaterial({ color: 0xffffff, depthTest: false }),
  };
  let yawOffset = element.getView().yaw;
  let shownScene: TourScene | null = null;

  const placeMarkers = (scene: TourScene) => {
    markers.clear();
    for (const hotspot of scene.hotspots) {
      const disc = new Mesh(markerGeometry, hotspot.type === 'navigation' ? markerMaterials.navigation : markerMaterials.other);
      disc.add(new Mesh(ringGeometry, markerMaterials.ring));
      disc.position.copy(toWorld(hotspot.yaw, hotspot.pitch, yawOffset).multiplyScalar(MARKER_DISTANCE));
      disc.lookAt(0, 0, 0);
      disc.renderOrder = 1;
      disc.userData.hotspot = hotspot;
      markers.add(disc);
    }
  };

  const raycaster = new Raycaster();
  const onSelect = (event: XRInputSourceEvent) => {
    const space = renderer.xr.getReferenceSpace();
    const pose = space && event.frame.getPose(event.inputSource.targetRaySpace, space);
    if (!pose) return;
    const { position, orientation } = pose.transform;
    const direction = new Vector3(0, 0, -1).applyQuaternion(new Quaternion(orientation.x, orientation.y, orientation.z, orientation.w));
    raycaster.set(new Vector3(position.x, position.y, position.z), direction);
    around.updateMatrixWorld(true);
    const hit = raycaster.intersectObjects(markers.children, false)[0];
    const hotspot = hit?.object.userData.hotspot as Hotspot | undefined;
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
      sphere.geometry.dispose();
      material.dispose();
      markerGeometry.dispose();
      ringGeometry.dispose();
      for (const used of Object.values(markerMaterials)) used.dispose();
      lent.done();
      element.requestUpdate();
    },
    { once: true },
  );
}
