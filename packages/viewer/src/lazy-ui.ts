/**
 * The element's UI beyond the picture (control bar, hotspot labels, cards,
 * the touch hint, the gyroscope) is the `ui/` chunk, imported once the first
 * tour document arrived, while the panorama downloads: nothing of it is
 * needed for the first picture.
 */
export type UiModule = typeof import('./ui/ui.js');

let loaded: UiModule | null = null;
let loading: Promise<UiModule> | null = null;

/** The UI chunk once it has arrived, else null. */
export const uiModule = (): UiModule | null => loaded;

/** Imports the UI chunk (once; again after a failure). */
export function loadUi(): Promise<UiModule> {
  return (loading ??= import('./ui/ui.js').then(
    (module) => (loaded = module),
    (error: unknown) => {
      loading = null;
      throw error;
    },
  ));
}
