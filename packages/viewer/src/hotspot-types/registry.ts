import type { Hotspot, HotspotOf } from '@vr-tour/protocol';
import { BUILT_IN_RENDERERS } from './built-in.js';
import type { HotspotRenderer } from './types.js';

/** A page's type names: lowercase words joined by hyphens, as custom element names (never a built-in type's). */
const PAGE_TYPE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/** The hotspots a type's renderer draws: a built-in type's own, or custom hotspots naming a page's type in `template`. */
export type HotspotOfType<K extends string> = K extends Hotspot['type'] ? HotspotOf<K> : HotspotOf<'custom'>;

const renderers = new Map<string, HotspotRenderer>();

/**
 * Registers how hotspots of type `name` are shown and what activating them
 * does. A page's types have names with a hyphen (`floor-tag`) and draw the
 * custom hotspots whose `template` is that name. The six built-in types are
 * registered here too, under their own names, and cannot be replaced.
 * Register before the tour loads: hotspots already drawn keep their renderer.
 */
export function registerHotspotType<K extends string>(name: K, renderer: HotspotRenderer<HotspotOfType<K>>): void {
  if (renderers.has(name)) throw new Error(`<vr-tour>: the hotspot type "${name}" is registered already`);
  if (!Object.hasOwn(BUILT_IN_RENDERERS, name) && !PAGE_TYPE_NAME.test(name)) {
    throw new SyntaxError(`<vr-tour>: "${name}" is not a hotspot type name: lowercase words joined by hyphens, like floor-tag`);
  }
  renderers.set(name, renderer as HotspotRenderer);
}

for (const [name, renderer] of Object.entries(BUILT_IN_RENDERERS)) registerHotspotType(name, renderer as HotspotRenderer);

/** The name of the type that draws `hotspot`: the page's type its `template` names, else its own type. */
export function hotspotTypeName(hotspot: Hotspot): string {
  const { type } = hotspot;
  return type === 'custom' && hotspot.template && PAGE_TYPE_NAME.test(hotspot.template) && renderers.has(hotspot.template) ? hotspot.template : type;
}

/** The renderer registered under `name` (a name `hotspotTypeName` gave). */
export const hotspotRenderer = (name: string): HotspotRenderer => renderers.get(name)!;
