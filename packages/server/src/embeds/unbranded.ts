import type { Hotspot, TourDocument } from '@vr-tour/protocol';

/**
 * A link's tag (`<a>`, `</a>`, `<area>`), attributes quoted or not. Quoted
 * values may hold `>`; the tag ends at the first `>` outside quotes.
 */
const LINK_TAG = /<\/?(?:a|area)(?=[\s/>])(?:[^>"']|"[^"]*"|'[^']*')*>/gi;

/**
 * Rich text with every link turned into its plain text. Repeated until
 * nothing changes: removing one tag must not join the pieces around it
 * into another (`<<a>a href=…>`).
 */
function withoutLinks(html: string): string {
  let before: string;
  let after = html;
  do {
    before = after;
    after = before.replace(LINK_TAG, '');
  } while (after !== before);
  return after;
}

function unbrandedHotspot(hotspot: Hotspot): Hotspot | undefined {
  switch (hotspot.type) {
    case 'link':
      return undefined;
    case 'info':
      return { ...hotspot, html: withoutLinks(hotspot.html) };
    case 'custom':
      return { ...hotspot, template: hotspot.template === null ? null : withoutLinks(hotspot.template) };
    default:
      return hotspot;
  }
}

/**
 * The tour as listing sites must show it (MLS rules: no agent branding, no
 * contact links): no logo, colours or "powered by", no link hotspots, and no
 * links inside info texts and custom templates. Everything that keeps a
 * visitor inside the tour stays: scenes, navigation, info, media, analytics.
 */
export function unbrandedDocument(document: TourDocument): TourDocument {
  return {
    ...document,
    branding: null,
    scenes: document.scenes.map((scene) => ({
      ...scene,
      hotspots: scene.hotspots.flatMap((hotspot) => unbrandedHotspot(hotspot) ?? []),
    })),
  };
}
