/** The `ui` chunk: everything of the element beyond the picture, loaded once the tour document arrived (lazy-ui.ts). */
export { adoptUiStyles } from './styles.js';
export { controls, type ControlsView } from './control-bar.js';
export { markers, placeMarkers, type MarkerElement, type Popover } from './markers.js';
export { followDevice, orientationView } from './gyroscope.js';
