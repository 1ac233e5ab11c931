export {
  DOOR_HEIGHT,
  DOOR_WIDTH,
  EYE_HEIGHT,
  MARKER_BAND,
  LABEL_TEXT_COLOR,
  doorView,
  type CeilingSpec,
  type DoorSpec,
  type DoorView,
  type Rgb,
  type RoomSpec,
  type WallPattern,
} from './room.js';
export { expectedColorAt, renderRoom, type RawImage } from './panorama.js';
export { encodeImage, encodePanorama, type EncodeOptions, type PanoramaFormat } from './encode.js';
export {
  DEMO_HOTSPOT_IDS,
  DEMO_ROOMS,
  DEMO_SCENE_IDS,
  DEMO_TOUR_ID,
  demoRoom,
  demoTourDocument,
  type DemoDoor,
  type DemoRoom,
  type DemoRoomId,
  type DemoTourOptions,
} from './demo-tour.js';
export {
  DEMO_GENERATOR_HASH,
  INLINE_PREVIEW_WIDTH,
  LEVEL_WIDTHS,
  PREVIEW_WIDTH,
  THUMBNAIL_WIDTH,
  filesOf,
  generateDemoAssets,
  type AssetFile,
  type DemoAssets,
  type ImageAsset,
  type SceneAssets,
} from './generate.js';
