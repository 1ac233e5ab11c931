// What a Photo Sphere Viewer user ships for a tour: the core, the markers
// plugin and the virtual tour plugin, with their style sheets. The bench
// bundles this file (and the three.js copy PSV depends on) into one tree-shaken ESM file.
import { Viewer } from '@photo-sphere-viewer/core';
import { MarkersPlugin } from '@photo-sphere-viewer/markers-plugin';
import { VirtualTourPlugin, type VirtualTourNode } from '@photo-sphere-viewer/virtual-tour-plugin';
import '@photo-sphere-viewer/core/index.css';
import '@photo-sphere-viewer/markers-plugin/index.css';
import '@photo-sphere-viewer/virtual-tour-plugin/index.css';

/** PSV's field of view is vertical; the fixed zoom level 0 shows `verticalFov`. */
export function createTour(container: HTMLElement, nodes: VirtualTourNode[], startNodeId: string, verticalFov: number) {
  const viewer = new Viewer({
    container,
    defaultYaw: 0,
    defaultPitch: 0,
    minFov: 30,
    maxFov: verticalFov,
    defaultZoomLvl: 0,
    plugins: [
      MarkersPlugin,
      [VirtualTourPlugin, { renderMode: '2d', nodes, startNodeId, transitionOptions: { effect: 'none', rotation: false } }],
    ],
  });
  return { viewer, tour: viewer.getPlugin<VirtualTourPlugin>(VirtualTourPlugin) };
}
