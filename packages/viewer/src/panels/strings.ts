import type { TourStrings } from '../i18n.js';

/**
 * UI strings of the lazily loaded panels (share dialog, scene strip, floor
 * plan, audio, VR). They live here, not in the entry chunk; a page overrides
 * them with `registerStrings` like any other.
 */
export interface PanelStrings {
  shareTitle: string;
  shareLink: string;
  copyLink: string;
  linkCopied: string;
  embedCode: string;
  embedIframe: string;
  embedTags: string;
  copyEmbed: string;
  embedCopied: string;
  copyFailed: string;
  shareNative: string;
  scenes: string;
  floorPlan: string;
  compass: string;
  sceneOnPlan: string;
  audioOn: string;
  logo: string;
  poweredBy: string;
  enterVr: string;
  exitVr: string;
}

const en: PanelStrings = {
  shareTitle: 'Share this view',
  shareLink: 'Link to this view',
  copyLink: 'Copy link',
  linkCopied: 'Link copied',
  embedCode: 'Embed code',
  embedIframe: 'iframe',
  embedTags: 'Script and element',
  copyEmbed: 'Copy embed code',
  embedCopied: 'Embed code copied',
  copyFailed: 'Copying is not allowed here: the text is selected, copy it with Ctrl+C or ⌘C',
  shareNative: 'Share…',
  scenes: 'Scenes',
  floorPlan: 'Floor plan',
  compass: 'Facing {0}',
  sceneOnPlan: '{0} (on the floor plan)',
  audioOn: 'Sound',
  logo: 'Logo',
  poweredBy: 'Powered by vr-tour',
  enterVr: 'View in VR',
  exitVr: 'Exit VR',
};

const catalog: Record<string, Partial<PanelStrings>> = {
  fr: {
    shareTitle: 'Partager cette vue',
    shareLink: 'Lien vers cette vue',
    copyLink: 'Copier le lien',
    linkCopied: 'Lien copié',
    embedCode: 'Code d’intégration',
    embedTags: 'Script et élément',
    copyEmbed: 'Copier le code',
    embedCopied: 'Code copié',
    shareNative: 'Partager…',
    scenes: 'Scènes',
    floorPlan: 'Plan',
    compass: 'Orientation : {0}',
    audioOn: 'Son',
    logo: 'Logo',
    enterVr: 'Voir en VR',
    exitVr: 'Quitter la VR',
  },
  de: {
    shareTitle: 'Diese Ansicht teilen',
    copyLink: 'Link kopieren',
    linkCopied: 'Link kopiert',
    embedCode: 'Einbettungscode',
    copyEmbed: 'Code kopieren',
    embedCopied: 'Code kopiert',
    scenes: 'Szenen',
    floorPlan: 'Grundriss',
    audioOn: 'Ton',
    enterVr: 'In VR ansehen',
  },
  es: {
    shareTitle: 'Compartir esta vista',
    copyLink: 'Copiar enlace',
    linkCopied: 'Enlace copiado',
    embedCode: 'Código para insertar',
    copyEmbed: 'Copiar código',
    embedCopied: 'Código copiado',
    scenes: 'Escenas',
    floorPlan: 'Plano',
    audioOn: 'Sonido',
    enterVr: 'Ver en RV',
  },
};

/** The element's strings with the panels' own: a string the page registered wins, then this language's, then English. */
export function panelStrings(strings: TourStrings, lang: string): TourStrings & PanelStrings {
  const defined = Object.fromEntries(Object.entries(strings).filter(([, value]) => value !== undefined));
  return { ...en, ...catalog[lang.toLowerCase().split('-')[0]!], ...defined } as TourStrings & PanelStrings;
}
