import type { Hotspot, HotspotOf } from '@vr-tour/protocol';
import type { HotspotRenderer } from './types.js';

/** A page's type names: lowercase words joined by hyphens, as custom element names (never a built-in type's). */
const PAGE_TYPE_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)+$/;

/** The six types of the tour document: their renderers (built-in.ts) come with the UI chunk. */
const BUILT_IN_TYPES: ReadonlyArray<string> = ['navigation', 'info', 'audio', 'video', 'link', 'custom'] satisfies Array<Hotspot['type']>;

/** The hotspots a type's renderer draws: a built-in type's own, or custom hotspots naming a page's type in `template`. */
export type HotspotOfType<K extends string> = K extends Hotspot['type'] ? HotspotOf<K> : HotspotOf<'custom'>;

/** The page's types, by name. */
const renderers = new Map<string, HotspotRenderer>();

/**
 * Registers how hotspots of type `name` are shown and what activating them
 * does. A page's types have names with a hyphen (`floor-tag`) and draw the
 * custom hotspots whose `template` is that name. The six built-in types have
 * their own names, taken already: they cannot be replaced.
 * Register before the tour loads: hotspots already drawn keep their renderer.
 */
export function registerHotspotType<K extends string>(name: K, renderer: HotspotRenderer<HotspotOfType<K>>): void {
  if (renderers.has(name) || BUILT_IN_TYPES.includes(name)) throw new Error(`<vr-tour>: the hotspot type "${name}" is registered already`);
  if (!PAGE_TYPE_NAME.test(name)) {
    throw new SyntaxError(`<vr-tour>: "${name}" is not a hotspot type name: lowercase words joined by hyphens, like floor-tag`);
  }
  renderers.set(name, renderer as HotspotRenderer);
}

/** The name of the type that draws `hotspot`: the page's type its `template` names, else its own type. */
export function hotspotTypeName(hotspot: Hotspot): string {
  const { type } = hotspot;
  return type === 'custom' && hotspot.template && PAGE_TYPE_NAME.test(hotspot.template) && renderers.has(hotspot.template) ? hotspot.template : type;
}

/** The page's renderer registered under `name`, if any. */
export const pageRenderer = (name: string): HotspotRenderer | undefined => renderers.get(name);
