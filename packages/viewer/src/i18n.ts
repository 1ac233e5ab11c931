import type { PanelStrings } from './panels/strings.js';

/**
 * UI strings of `<vr-tour>`; every language falls back to English key by key.
 * The lazily loaded panels' strings (`PanelStrings`) have their defaults in their own chunk.
 */
export interface TourStrings extends Partial<PanelStrings> {
  roledescription: string;
  label: string;
  loading: string;
  scene: string;
  network: string;
  'not-found': string;
  'bad-id': string;
  'webgl-unavailable': string;
  'context-lost': string;
  image: string;
  fullscreen: string;
  exitFullscreen: string;
  autorotate: string;
  touchHint: string;
  zoomIn: string;
  zoomOut: string;
  gyro: string;
  share: string;
  close: string;
}

const en: TourStrings = {
  roledescription: '360° tour viewer',
  label: 'Virtual tour',
  loading: 'Loading…',
  scene: 'Scene: {0}',
  network: 'The tour could not be loaded. Check your connection.',
  'not-found': 'This tour does not exist or is not public.',
  'bad-id': 'This tour link is not valid: its tour id is malformed.',
  'webgl-unavailable': 'This browser cannot display 360° images (WebGL is unavailable).',
  'context-lost': 'The graphics context was lost. Waiting for it to come back…',
  image: 'A panorama image could not be loaded.',
  fullscreen: 'Full screen',
  exitFullscreen: 'Exit full screen',
  autorotate: 'Rotate automatically',
  touchHint: 'Use two fingers to look around, or tap the tour first',
  zoomIn: 'Zoom in',
  zoomOut: 'Zoom out',
  gyro: 'Look around by moving your device',
  share: 'Share',
  close: 'Close',
};

const catalog: Record<string, Partial<TourStrings>> = {
  en,
  fr: {
    roledescription: 'visionneuse de visite 360°',
    label: 'Visite virtuelle',
    loading: 'Chargement…',
    scene: 'Scène : {0}',
    network: 'La visite n’a pas pu être chargée. Vérifiez votre connexion.',
    'not-found': 'Cette visite n’existe pas ou n’est pas publique.',
    'bad-id': 'Ce lien de visite n’est pas valide : son identifiant est mal formé.',
    'webgl-unavailable': 'Ce navigateur ne peut pas afficher d’images 360° (WebGL indisponible).',
    image: 'Une image panoramique n’a pas pu être chargée.',
    fullscreen: 'Plein écran',
    exitFullscreen: 'Quitter le plein écran',
    autorotate: 'Rotation automatique',
    touchHint: 'Utilisez deux doigts pour regarder autour, ou touchez d’abord la visite',
    zoomIn: 'Zoom avant',
    zoomOut: 'Zoom arrière',
    share: 'Partager',
    close: 'Fermer',
  },
  de: {
    roledescription: '360°-Tour-Betrachter',
    label: 'Virtueller Rundgang',
    loading: 'Wird geladen…',
    scene: 'Szene: {0}',
    network: 'Der Rundgang konnte nicht geladen werden.',
    'not-found': 'Dieser Rundgang existiert nicht oder ist nicht öffentlich.',
    fullscreen: 'Vollbild',
    share: 'Teilen',
    close: 'Schließen',
  },
  es: {
    roledescription: 'visor de recorridos 360°',
    label: 'Recorrido virtual',
    loading: 'Cargando…',
    scene: 'Escena: {0}',
    network: 'No se pudo cargar el recorrido.',
    'not-found': 'Este recorrido no existe o no es público.',
    fullscreen: 'Pantalla completa',
    share: 'Compartir',
    close: 'Cerrar',
  },
};

/** Adds or overrides strings for a language (e.g. `registerStrings('it', {share: 'Condividi'})`). */
export function registerStrings(lang: string, strings: Partial<TourStrings>): void {
  const key = lang.toLowerCase();
  catalog[key] = { ...catalog[key], ...strings };
}

/** Strings for a BCP 47 tag: exact match, then the primary language, then English. */
export function stringsFor(lang: string): TourStrings {
  const tag = lang.toLowerCase();
  return { ...en, ...catalog[tag.split('-')[0]!], ...catalog[tag] };
}

/** An element's UI language: its `lang` attribute, else the closest in the page, else the browser's. */
export const uiLang = (element: HTMLElement): string =>
  element.lang || element.closest('[lang]')?.getAttribute('lang') || navigator.language || 'en';

/** Fills `{0}` in a string. */
export const format = (template: string, value: string): string => template.replace('{0}', value);
