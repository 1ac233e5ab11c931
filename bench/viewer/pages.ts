import { DEMO_SCENE_IDS } from '@vr-tour/demo';
import { START, VIEW_YAW, VIEWPORT, vrTourDocument, type BenchScene } from './tour.js';

/**
 * One HTML page per viewer, each the plain embedding its documentation shows,
 * plus a few lines that set `window.benchPage` (browser/contract.ts): how to
 * switch scenes programmatically, as a navigation hotspot would.
 */

export type ViewerName = 'vr-tour' | 'pannellum' | 'psv';

export interface Variant {
  id: string;
  viewer: ViewerName;
  label: string;
  /** URL paths a page must load before anything shows: the "initial chunk". */
  initialCode: string[];
}

export const VARIANTS: readonly Variant[] = [
  { id: 'vr-tour', viewer: 'vr-tour', label: 'vr-tour', initialCode: ['/vr-tour/vr-tour.js'] },
  // The same element without neighbour preloading: what the switch costs when the next scene was not fetched yet.
  { id: 'vr-tour-no-preload', viewer: 'vr-tour', label: 'vr-tour, preloadBudget=0', initialCode: ['/vr-tour/vr-tour.js'] },
  { id: 'pannellum', viewer: 'pannellum', label: 'Pannellum', initialCode: ['/pannellum/pannellum.js', '/pannellum/pannellum.css'] },
  { id: 'psv', viewer: 'psv', label: 'PSV', initialCode: ['/psv/psv-tour.js', '/psv/psv-tour.css'] },
];

const BOX = `position:absolute;left:0;top:0;width:${VIEWPORT.width}px;height:${VIEWPORT.height}px`;
const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

const page = (head: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>viewer bench</title><link rel="icon" href="data:,">
<style>html,body{margin:0;overflow:hidden}</style>${head}</head>
<body>${body}</body></html>`;

function vrTourPage(preload: boolean): string {
  return page(
    '<script type="module" src="/vr-tour/vr-tour.js"></script>',
    `<vr-tour id="tour" src="/tour.json" loading="eager" style="${BOX}"></vr-tour>
<script type="module">
const element = document.getElementById('tour');
const ids = ${json(DEMO_SCENE_IDS)};
${preload ? '' : "customElements.whenDefined('vr-tour').then(() => { element.preloadBudget = 0; });"}
window.benchPage = {
  switchTo: (scene) => void element.goTo(ids[scene]),
};
</script>`,
  );
}

function pannellumPage(scenes: BenchScene[]): string {
  const config = {
    default: { firstScene: START, autoLoad: true, sceneFadeDuration: 0, hfov: VIEWPORT.hfov, yaw: VIEW_YAW, pitch: 0 },
    scenes: Object.fromEntries(
      scenes.map((scene) => [
        scene.key,
        {
          title: scene.title,
          type: 'equirectangular',
          panorama: scene.panorama,
          hotSpots: scene.doors.map((door) => ({
            type: 'scene',
            sceneId: door.target,
            yaw: door.yaw,
            pitch: door.pitch,
            text: door.title,
            targetYaw: VIEW_YAW,
            targetPitch: 0,
            targetHfov: VIEWPORT.hfov,
          })),
        },
      ]),
    ),
  };
  return page(
    '<link rel="stylesheet" href="/pannellum/pannellum.css"><script src="/pannellum/pannellum.js"></script>',
    `<div id="pano" style="${BOX}"></div>
<script>
const viewer = pannellum.viewer('pano', ${json(config)});
window.benchPage = {
  switchTo: (scene) => viewer.loadScene(scene, 0, ${VIEW_YAW}, ${VIEWPORT.hfov}),
};
</script>`,
  );
}

function psvPage(scenes: BenchScene[]): string {
  const nodes = scenes.map((scene) => ({
    id: scene.key,
    name: scene.title,
    panorama: scene.panorama,
    links: scene.doors.map((door) => ({ nodeId: door.target, position: { yaw: `${door.yaw}deg`, pitch: `${door.pitch}deg` } })),
  }));
  const verticalFov = (2 * Math.atan((Math.tan((VIEWPORT.hfov * Math.PI) / 360) * VIEWPORT.height) / VIEWPORT.width) * 180) / Math.PI;
  return page(
    '<link rel="stylesheet" href="/psv/psv-tour.css">',
    `<div id="pano" style="${BOX}"></div>
<script type="module">
import { createTour } from '/psv/psv-tour.js';
const { tour } = createTour(document.getElementById('pano'), ${json(nodes)}, ${json(START)}, ${verticalFov});
window.benchPage = {
  switchTo: (scene) => void tour.setCurrentNode(scene),
};
</script>`,
  );
}

/** The pages by URL path, and the tour document vr-tour fetches. */
export function benchPages(scenes: BenchScene[]): Map<string, { type: string; body: string }> {
  const html = 'text/html; charset=utf-8';
  return new Map([
    ['/vr-tour.html', { type: html, body: vrTourPage(true) }],
    ['/vr-tour-no-preload.html', { type: html, body: vrTourPage(false) }],
    ['/pannellum.html', { type: html, body: pannellumPage(scenes) }],
    ['/psv.html', { type: html, body: psvPage(scenes) }],
    ['/tour.json', { type: 'application/json', body: JSON.stringify(vrTourDocument(scenes)) }],
  ]);
}
