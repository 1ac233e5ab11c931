import { ApiError, csrfToken, request } from './client.js';
import type { EditorHotspot, Media, Page, Scene, Session, Tour, TourSettings, TourStatus, TourVisibility } from './types.js';

/** Typed calls of the documented /api/v1 routes the studio uses. */

// ---- accounts -----------------------------------------------------------

/** The signed-in user, or null when there is no live session. */
export async function currentSession(): Promise<Session | null> {
  // The server sets the CSRF cookie with the session cookie: without it there is no session to ask about.
  if (!csrfToken()) return null;
  try {
    return await request<Session>('GET', '/auth/session');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export const logIn = (email: string, password: string) => request<Session>('POST', '/auth/login', { body: { email, password } });

/**
 * Creates an account. Whether it also signed the person in is not read from
 * this answer (the server may answer alike for a new and a known email, so
 * as not to reveal which emails have accounts): ask `currentSession` after.
 */
export const signUp = (email: string, password: string, displayName: string) =>
  request<unknown>('POST', '/auth/signup', { body: { email, password, displayName } });

export const logOut = () => request<void>('POST', '/auth/logout');

// ---- tours --------------------------------------------------------------

export interface TourQuery {
  status?: TourStatus | undefined;
  cursor?: string | undefined;
  limit: number;
}

export const listTours = (query: TourQuery, signal?: AbortSignal) =>
  request<Page<Tour>>('GET', '/tours', { query: { ...query }, ...(signal ? { signal } : {}) });

export const createTour = (title: string) => request<Tour>('POST', '/tours', { body: { title } });

export const getTour = (id: string) => request<Tour>('GET', `/tours/${encodeURIComponent(id)}`);

export interface TourChanges {
  title?: string;
  description?: string | null;
  visibility?: TourVisibility;
  settings?: TourSettings;
}

export const updateTour = (id: string, changes: TourChanges) => request<Tour>('PATCH', `/tours/${encodeURIComponent(id)}`, { body: changes });

export type TourTransition = 'publish' | 'unpublish' | 'archive' | 'restore';

export const moveTour = (id: string, action: TourTransition) => request<Tour>('POST', `/tours/${encodeURIComponent(id)}/${action}`);

// ---- scenes and media ---------------------------------------------------

export const listScenes = (tourId: string) => request<{ items: Scene[] }>('GET', '/scenes', { query: { tourId } }).then((list) => list.items);

export const createScene = (tourId: string, title: string, mediaId: string) =>
  request<Scene>('POST', '/scenes', { body: { tourId, title, mediaId } });

export const getMedia = (id: string, signal?: AbortSignal) =>
  request<Media>('GET', `/media/${encodeURIComponent(id)}`, signal ? { signal } : {});

export const deleteMedia = (id: string) => request<void>('DELETE', `/media/${encodeURIComponent(id)}`);

export const listHotspots = (sceneId: string) =>
  request<{ items: EditorHotspot[] }>('GET', '/hotspots', { query: { sceneId } }).then((list) => list.items);
