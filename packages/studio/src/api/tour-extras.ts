import { request } from './client.js';
import { listTours } from './endpoints.js';
import type { Branding, FloorPlan, FloorPlanPosition, Scene, Tour } from './types.js';

/** A tour's branding and floor plans, where its scenes sit on them; all of an account's tours. */

const tourPath = (tourId: string) => `/tours/${encodeURIComponent(tourId)}`;

/** The tour's branding, or the defaults when it has none. */
export const getBranding = (tourId: string) => request<Branding>('GET', `${tourPath(tourId)}/branding`);

export const updateBranding = (tourId: string, changes: Partial<Branding>) =>
  request<Branding>('PATCH', `${tourPath(tourId)}/branding`, { body: changes });

export const listFloorPlans = (tourId: string) =>
  request<{ items: FloorPlan[] }>('GET', '/floor-plans', { query: { tourId } }).then((list) => list.items);

/** A floor plan from an uploaded image (kind floor_plan, processed). */
export const createFloorPlan = (tourId: string, title: string, mediaId: string) =>
  request<FloorPlan>('POST', '/floor-plans', { body: { tourId, title, mediaId } });

export const deleteFloorPlan = (id: string) => request<void>('DELETE', `/floor-plans/${encodeURIComponent(id)}`);

/** Puts a scene on a floor plan (null takes it off) and sets where its north is. */
export const placeScene = (sceneId: string, changes: { floorPlan?: FloorPlanPosition | null; northOffset?: number }) =>
  request<Scene>('PATCH', `/scenes/${encodeURIComponent(sceneId)}`, { body: changes });

/** Every tour of the account, newest first, read 100 at a time (for choosing one, and for counting). */
export async function allTours(signal?: AbortSignal): Promise<Tour[]> {
  const tours: Tour[] = [];
  let cursor: string | undefined;
  do {
    const page = await listTours({ limit: 100, cursor }, signal);
    tours.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
  return tours;
}
