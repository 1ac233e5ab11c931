import { registerHotspotType } from '@vr-tour/viewer';

// Draws the custom hotspots whose template is "floor-tag", such as
//   { "type": "custom", "title": "Stairs", "template": "floor-tag", "payload": { "floor": 2, "sceneId": "…" }, … }
// as a pill reading "2F" that takes the visitor to that floor's scene.
registerHotspotType('floor-tag', {
  shape: 'pill',
  icon: (hotspot) => `${hotspot.payload.floor}F`,
  label: (hotspot) => `${hotspot.title}, floor ${hotspot.payload.floor}`,
  activate: (hotspot, host) => host.goTo(String(hotspot.payload.sceneId)),
});
