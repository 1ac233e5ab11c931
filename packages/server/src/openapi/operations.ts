import { z } from 'zod';
import { problemSchema } from '@vr-tour/protocol';
import * as auth from '../auth/schemas.js';
import { brandingPatchSchema, brandingSchema } from '../branding/routes.js';
import * as floorPlans from '../floor-plans/schemas.js';
import * as hotspots from '../hotspots/schemas.js';
import * as media from '../media/schemas.js';
import * as scenes from '../scenes/schemas.js';
import * as tours from '../tours/schemas.js';

/**
 * Every editor operation, described by the same zod schemas its route
 * parses with; document.ts turns this list into OpenAPI 3.1. A route added
 * without a line here is caught by the test that compares this list with
 * the router.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, under /api/v1. */
  path: string;
  tag: string;
  summary: string;
  /** Needs a session cookie (+ X-CSRF-Token on writes) or a bearer token. */
  auth?: 'user' | 'admin' | 'none';
  query?: z.ZodObject;
  body?: [name: string, schema: z.ZodType];
  /** multipart/form-data with a `file` part and these text fields. */
  multipart?: z.ZodObject;
  /** Status -> [name, schema], or null for an empty answer. */
  responses: Record<number, [name: string, schema: z.ZodType] | null>;
}

export const schemas = { problem: ['Problem', problemSchema] as [string, z.ZodType] };

const Tour: [string, z.ZodType] = ['Tour', tours.tourSchema];
const Scene: [string, z.ZodType] = ['Scene', scenes.sceneSchema];
const Hotspot: [string, z.ZodType] = ['Hotspot', hotspots.hotspotSchema];
const FloorPlan: [string, z.ZodType] = ['FloorPlan', floorPlans.floorPlanSchema];
const Media: [string, z.ZodType] = ['Media', media.mediaSchema];
const Branding: [string, z.ZodType] = ['Branding', brandingSchema];
const Session: [string, z.ZodType] = ['Session', auth.sessionSchema];

export const operations: Operation[] = [
  { method: 'post', path: '/auth/signup', tag: 'Accounts', auth: 'none', summary: 'Create an account and start a session', body: ['SignUp', auth.signUpSchema], responses: { 201: Session } },
  { method: 'post', path: '/auth/login', tag: 'Accounts', auth: 'none', summary: 'Start a session (rate-limited per email and IP)', body: ['Login', auth.loginSchema], responses: { 200: Session } },
  { method: 'post', path: '/auth/logout', tag: 'Accounts', auth: 'none', summary: 'End the session', responses: { 204: null } },
  { method: 'get', path: '/auth/session', tag: 'Accounts', summary: 'The current user and the CSRF token for cookie-authenticated writes', responses: { 200: Session } },
  { method: 'delete', path: '/auth/me', tag: 'Accounts', summary: 'Close the account, deleting its tours and media', responses: { 204: null } },
  { method: 'post', path: '/auth/tokens', tag: 'Accounts', summary: 'Create a personal API token (the secret is shown only here)', body: ['TokenCreate', auth.createTokenSchema], responses: { 201: ['CreatedToken', auth.createdTokenSchema] } },
  { method: 'get', path: '/auth/tokens', tag: 'Accounts', summary: 'List live API tokens', responses: { 200: ['TokenList', z.object({ items: z.array(auth.apiTokenSchema) })] } },
  { method: 'delete', path: '/auth/tokens/{id}', tag: 'Accounts', summary: 'Revoke an API token', responses: { 204: null } },
  { method: 'patch', path: '/users/{id}', tag: 'Accounts', auth: 'admin', summary: 'Change a user’s role', body: ['RoleChange', auth.setRoleSchema], responses: { 200: ['User', auth.userSchema] } },
  { method: 'delete', path: '/users/{id}', tag: 'Accounts', auth: 'admin', summary: 'Delete a user and everything they own', responses: { 204: null } },

  { method: 'post', path: '/tours', tag: 'Tours', summary: 'Create a draft tour', body: ['TourCreate', tours.tourCreateSchema], responses: { 201: Tour } },
  { method: 'get', path: '/tours', tag: 'Tours', summary: 'My tours, newest first, optionally by status', query: tours.tourListQuerySchema, responses: { 200: ['TourPage', tours.tourPageSchema] } },
  { method: 'get', path: '/tours/{id}', tag: 'Tours', summary: 'One tour', responses: { 200: Tour } },
  { method: 'patch', path: '/tours/{id}', tag: 'Tours', summary: 'Change some fields (isFeatured: admins only)', body: ['TourPatch', tours.tourPatchSchema], responses: { 200: Tour } },
  { method: 'delete', path: '/tours/{id}', tag: 'Tours', summary: 'Delete a tour with its scenes, hotspots, floor plans and branding', responses: { 204: null } },
  { method: 'post', path: '/tours/{id}/publish', tag: 'Tours', summary: 'Publish (needs a scene with a processed panorama; 409 otherwise)', responses: { 200: Tour } },
  { method: 'post', path: '/tours/{id}/unpublish', tag: 'Tours', summary: 'Back to draft', responses: { 200: Tour } },
  { method: 'post', path: '/tours/{id}/archive', tag: 'Tours', summary: 'Archive', responses: { 200: Tour } },
  { method: 'post', path: '/tours/{id}/restore', tag: 'Tours', summary: 'Restore an archived tour as a draft', responses: { 200: Tour } },
  { method: 'put', path: '/tours/{id}/scene-order', tag: 'Scenes', summary: 'Reorder the tour’s scenes (list each once)', body: ['SceneOrder', scenes.sceneOrderSchema], responses: { 200: ['SceneList', scenes.sceneListSchema] } },
  { method: 'get', path: '/tours/{id}/branding', tag: 'Branding', summary: 'The tour’s branding (defaults when none)', responses: { 200: Branding } },
  { method: 'patch', path: '/tours/{id}/branding', tag: 'Branding', summary: 'Set some branding fields', body: ['BrandingPatch', brandingPatchSchema], responses: { 200: Branding } },
  { method: 'delete', path: '/tours/{id}/branding', tag: 'Branding', summary: 'Remove the branding', responses: { 204: null } },

  { method: 'post', path: '/scenes', tag: 'Scenes', summary: 'Add a scene at the end of a tour', body: ['SceneCreate', scenes.sceneCreateSchema], responses: { 201: Scene } },
  { method: 'get', path: '/scenes', tag: 'Scenes', summary: 'A tour’s scenes, in order', query: scenes.sceneListQuerySchema, responses: { 200: ['SceneList', scenes.sceneListSchema] } },
  { method: 'get', path: '/scenes/{id}', tag: 'Scenes', summary: 'One scene', responses: { 200: Scene } },
  { method: 'patch', path: '/scenes/{id}', tag: 'Scenes', summary: 'Change some fields', body: ['ScenePatch', scenes.scenePatchSchema], responses: { 200: Scene } },
  { method: 'delete', path: '/scenes/{id}', tag: 'Scenes', summary: 'Delete a scene and the hotspots in or leading to it', responses: { 204: null } },

  { method: 'post', path: '/hotspots', tag: 'Hotspots', summary: 'Add a hotspot; fields depend on its type', body: ['HotspotCreate', hotspots.hotspotCreateSchema], responses: { 201: Hotspot } },
  { method: 'get', path: '/hotspots', tag: 'Hotspots', summary: 'A scene’s hotspots', query: hotspots.hotspotListQuerySchema, responses: { 200: ['HotspotList', hotspots.hotspotListSchema] } },
  { method: 'get', path: '/hotspots/{id}', tag: 'Hotspots', summary: 'One hotspot', responses: { 200: Hotspot } },
  { method: 'patch', path: '/hotspots/{id}', tag: 'Hotspots', summary: 'Change some fields; the result is validated as a whole', body: ['HotspotPatch', hotspots.hotspotPatchSchema], responses: { 200: Hotspot } },
  { method: 'delete', path: '/hotspots/{id}', tag: 'Hotspots', summary: 'Delete a hotspot', responses: { 204: null } },

  { method: 'post', path: '/floor-plans', tag: 'Floor plans', summary: 'Add a floor plan from an uploaded image or a URL', body: ['FloorPlanCreate', floorPlans.floorPlanCreateSchema], responses: { 201: FloorPlan } },
  { method: 'get', path: '/floor-plans', tag: 'Floor plans', summary: 'A tour’s floor plans', query: floorPlans.floorPlanListQuerySchema, responses: { 200: ['FloorPlanList', floorPlans.floorPlanListSchema] } },
  { method: 'get', path: '/floor-plans/{id}', tag: 'Floor plans', summary: 'One floor plan', responses: { 200: FloorPlan } },
  { method: 'patch', path: '/floor-plans/{id}', tag: 'Floor plans', summary: 'Change some fields', body: ['FloorPlanPatch', floorPlans.floorPlanPatchSchema], responses: { 200: FloorPlan } },
  { method: 'delete', path: '/floor-plans/{id}', tag: 'Floor plans', summary: 'Delete a floor plan', responses: { 204: null } },

  { method: 'post', path: '/media', tag: 'Media', summary: 'Upload an image; processing continues after the 202 (poll GET /media/{id})', multipart: media.uploadFieldsSchema, responses: { 202: Media } },
  { method: 'get', path: '/media', tag: 'Media', summary: 'My uploads, newest first', query: media.mediaListQuerySchema, responses: { 200: ['MediaPage', media.mediaPageSchema] } },
  { method: 'get', path: '/media/{id}', tag: 'Media', summary: 'Status, progress (0–100) and outputs of an upload', responses: { 200: Media } },
  { method: 'delete', path: '/media/{id}', tag: 'Media', summary: 'Delete an upload and its files', responses: { 204: null } },
];
