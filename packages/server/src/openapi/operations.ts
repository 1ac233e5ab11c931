import { z } from 'zod';
import { problemSchema, tourDocumentSchema, tourSummarySchema } from '@vr-tour/protocol';
import * as auth from '../auth/schemas.js';
import { brandingPatchSchema, brandingSchema } from '../branding/routes.js';
import * as domains from '../custom-domains/schemas.js';
import { oembedQuerySchema, oembedResponseSchema } from '../embeds/oembed.js';
import * as floorPlans from '../floor-plans/schemas.js';
import * as hotspots from '../hotspots/schemas.js';
import * as jobs from '../jobs/schemas.js';
import * as media from '../media/schemas.js';
import { gallerySchema } from '../public/routes.js';
import * as scenes from '../scenes/schemas.js';
import * as tours from '../tours/schemas.js';

/** A JSON answer described by a zod schema, named as an OpenAPI component. */
export type NamedSchema = [name: string, schema: z.ZodType];

/** An answer that no zod schema describes: a plain-text word, or this document itself. */
export interface UntypedAnswer {
  contentType: 'text/plain' | 'application/json';
  description: string;
}

/**
 * Who may call, as `authenticate` (app.ts) and the routes' guards decide:
 * - `public`: mounted before `authenticate`; credentials are ignored.
 * - `none`: anonymous callers welcome, but sent credentials are checked (a bad
 *   token is a 401, a live session cookie on a write needs X-CSRF-Token).
 * - `session`: anonymous or the session cookie (+ X-CSRF-Token) it acts on.
 * - `user`/`admin`: a bearer token, or the session cookie (+ X-CSRF-Token on writes).
 */
export type Access = 'public' | 'none' | 'session' | 'user' | 'admin';

/**
 * Every operation under /api/v1, described by the same zod schemas its route
 * parses with; document.ts turns this list into OpenAPI 3.1. A route added
 * without a line here is caught by the test that compares this list with
 * the app's route table.
 */
export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI path template, under /api/v1 (or under the site's root with `root`). */
  path: string;
  /** Served at the site's root, not under /api/v1: an endpoint whose place others know (oEmbed's). */
  root?: true;
  tag: string;
  summary: string;
  /** Defaults to `user`. */
  auth?: Access;
  query?: z.ZodObject;
  body?: NamedSchema;
  /** multipart/form-data with a `file` part and these text fields. */
  multipart?: z.ZodObject;
  /** Status -> a named schema, an untyped answer, or null for an empty one. */
  responses: Record<number, NamedSchema | UntypedAnswer | null>;
  /**
   * problem+json answers particular to this operation, status -> when. Those
   * that follow from its inputs and access (400, 401, 403, 404) are added by document.ts.
   */
  problems?: Record<number, string>;
}

export const schemas = { problem: ['Problem', problemSchema] as NamedSchema };

/** Parts of answers named too, so the reference links to their fields instead of showing `object[]`. */
export const nestedComponents: NamedSchema[] = [
  ['TourSummary', tourSummarySchema],
  ['DnsRecord', domains.dnsRecordSchema],
];

const Tour: NamedSchema = ['Tour', tours.tourSchema];
const Scene: NamedSchema = ['Scene', scenes.sceneSchema];
const Hotspot: NamedSchema = ['Hotspot', hotspots.hotspotSchema];
const FloorPlan: NamedSchema = ['FloorPlan', floorPlans.floorPlanSchema];
const Media: NamedSchema = ['Media', media.mediaSchema];
const Branding: NamedSchema = ['Branding', brandingSchema];
const Session: NamedSchema = ['Session', auth.sessionSchema];
const CustomDomain: NamedSchema = ['CustomDomain', domains.customDomainSchema];
const AiJob: NamedSchema = ['AiJob', jobs.aiJobSchema];
const Suggestion: NamedSchema = ['Suggestion', jobs.suggestionSchema];

const mediaNotReady = 'mediaId is not a processed image of the tour’s owner';

export const operations: Operation[] = [
  { method: 'get', path: '/openapi.json', tag: 'Reference', auth: 'public', summary: 'This document (the reference page is /api/docs)', responses: { 200: { contentType: 'application/json', description: 'The OpenAPI 3.1 document of this API' } } },

  { method: 'get', path: '/public/tours', tag: 'Public', auth: 'public', summary: 'The gallery: published public tours, newest first (any origin, ETag)', query: gallerySchema, responses: { 200: ['TourSummaryPage', z.object({ items: z.array(tourSummarySchema), nextCursor: z.string().nullable() })], 304: null } },
  { method: 'get', path: '/public/tours/{id}', tag: 'Public', auth: 'public', summary: 'The tour document `<vr-tour src>` reads (any origin, ETag)', responses: { 200: ['TourDocument', tourDocumentSchema], 304: null }, problems: { 404: 'no published tour with this id that is public or unlisted' } },

  { method: 'post', path: '/auth/signup', tag: 'Accounts', auth: 'none', summary: 'Create an account and start its session if the email is free; the same 202 either way, so it tells no one which emails have accounts', body: ['SignUp', auth.signUpSchema], responses: { 202: ['SignUpAccepted', auth.signUpAcceptedSchema] }, problems: { 429: 'too many sign-ups from this network; see Retry-After' } },
  { method: 'post', path: '/auth/login', tag: 'Accounts', auth: 'none', summary: 'Start a session (failures slow down this network for this email, then for every email; never the account for everyone)', body: ['Login', auth.loginSchema], responses: { 200: Session }, problems: { 401: 'the email or the password is wrong', 429: 'too many failed attempts from this network, for this email or in all; see Retry-After' } },
  { method: 'post', path: '/auth/logout', tag: 'Accounts', auth: 'session', summary: 'End the session', responses: { 204: null } },
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
  { method: 'patch', path: '/tours/{id}', tag: 'Tours', summary: 'Change some fields (isFeatured: admins only)', body: ['TourPatch', tours.tourPatchSchema], responses: { 200: Tour }, problems: { 403: 'isFeatured sent by a non-admin', 422: 'initialSceneId is not a scene of this tour' } },
  { method: 'delete', path: '/tours/{id}', tag: 'Tours', summary: 'Delete a tour with its scenes, hotspots, floor plans and branding', responses: { 204: null } },
  { method: 'post', path: '/tours/{id}/publish', tag: 'Tours', summary: 'Publish (needs a scene with a processed panorama; 409 otherwise)', responses: { 200: Tour }, problems: { 409: 'the tour is archived, or has no scene with a processed panorama' } },
  { method: 'post', path: '/tours/{id}/unpublish', tag: 'Tours', summary: 'Back to draft', responses: { 200: Tour }, problems: { 409: 'the tour is not published' } },
  { method: 'post', path: '/tours/{id}/archive', tag: 'Tours', summary: 'Archive', responses: { 200: Tour } },
  { method: 'post', path: '/tours/{id}/restore', tag: 'Tours', summary: 'Restore an archived tour as a draft', responses: { 200: Tour }, problems: { 409: 'the tour is not archived' } },
  { method: 'put', path: '/tours/{id}/scene-order', tag: 'Scenes', summary: 'Reorder the tour’s scenes (list each once)', body: ['SceneOrder', scenes.sceneOrderSchema], responses: { 200: ['SceneList', scenes.sceneListSchema] }, problems: { 422: 'sceneIds does not list each of the tour’s scenes exactly once' } },
  { method: 'get', path: '/tours/{id}/branding', tag: 'Branding', summary: 'The tour’s branding (defaults when none)', responses: { 200: Branding } },
  { method: 'patch', path: '/tours/{id}/branding', tag: 'Branding', summary: 'Set some branding fields', body: ['BrandingPatch', brandingPatchSchema], responses: { 200: Branding } },
  { method: 'delete', path: '/tours/{id}/branding', tag: 'Branding', summary: 'Remove the branding', responses: { 204: null } },

  { method: 'post', path: '/scenes', tag: 'Scenes', summary: 'Add a scene at the end of a tour', body: ['SceneCreate', scenes.sceneCreateSchema], responses: { 201: Scene }, problems: { 404: 'no such tour among yours', 409: 'the tour has the most scenes a tour may have', 422: `${mediaNotReady}, or floorPlan.floorPlanId is not a floor plan of this tour` } },
  { method: 'get', path: '/scenes', tag: 'Scenes', summary: 'A tour’s scenes, in order', query: scenes.sceneListQuerySchema, responses: { 200: ['SceneList', scenes.sceneListSchema] }, problems: { 404: 'no such tour among yours' } },
  { method: 'get', path: '/scenes/{id}', tag: 'Scenes', summary: 'One scene', responses: { 200: Scene } },
  { method: 'patch', path: '/scenes/{id}', tag: 'Scenes', summary: 'Change some fields', body: ['ScenePatch', scenes.scenePatchSchema], responses: { 200: Scene }, problems: { 422: `${mediaNotReady}, or floorPlan.floorPlanId is not a floor plan of this tour` } },
  { method: 'delete', path: '/scenes/{id}', tag: 'Scenes', summary: 'Delete a scene and the hotspots in or leading to it', responses: { 204: null } },

  { method: 'post', path: '/hotspots', tag: 'Hotspots', summary: 'Add a hotspot; fields depend on its type', body: ['HotspotCreate', hotspots.hotspotCreateSchema], responses: { 201: Hotspot }, problems: { 404: 'no such scene among yours', 409: 'the scene has the most hotspots a scene may have', 422: 'targetSceneId is the hotspot’s own scene or not of the same tour' } },
  { method: 'get', path: '/hotspots', tag: 'Hotspots', summary: 'A scene’s hotspots', query: hotspots.hotspotListQuerySchema, responses: { 200: ['HotspotList', hotspots.hotspotListSchema] }, problems: { 404: 'no such scene among yours' } },
  { method: 'get', path: '/hotspots/{id}', tag: 'Hotspots', summary: 'One hotspot', responses: { 200: Hotspot } },
  { method: 'patch', path: '/hotspots/{id}', tag: 'Hotspots', summary: 'Change some fields; the result is validated as a whole', body: ['HotspotPatch', hotspots.hotspotPatchSchema], responses: { 200: Hotspot }, problems: { 422: 'targetSceneId is the hotspot’s own scene or not of the same tour' } },
  { method: 'delete', path: '/hotspots/{id}', tag: 'Hotspots', summary: 'Delete a hotspot', responses: { 204: null } },

  { method: 'post', path: '/floor-plans', tag: 'Floor plans', summary: 'Add a floor plan from an uploaded image or a URL', body: ['FloorPlanCreate', floorPlans.floorPlanCreateSchema], responses: { 201: FloorPlan }, problems: { 404: 'no such tour among yours', 409: 'the tour has the most floor plans a tour may have', 422: mediaNotReady } },
  { method: 'get', path: '/floor-plans', tag: 'Floor plans', summary: 'A tour’s floor plans', query: floorPlans.floorPlanListQuerySchema, responses: { 200: ['FloorPlanList', floorPlans.floorPlanListSchema] }, problems: { 404: 'no such tour among yours' } },
  { method: 'get', path: '/floor-plans/{id}', tag: 'Floor plans', summary: 'One floor plan', responses: { 200: FloorPlan } },
  { method: 'patch', path: '/floor-plans/{id}', tag: 'Floor plans', summary: 'Change some fields', body: ['FloorPlanPatch', floorPlans.floorPlanPatchSchema], responses: { 200: FloorPlan }, problems: { 422: mediaNotReady } },
  { method: 'delete', path: '/floor-plans/{id}', tag: 'Floor plans', summary: 'Delete a floor plan', responses: { 204: null } },

  { method: 'post', path: '/media', tag: 'Media', summary: 'Upload an image; processing continues after the 202 (poll GET /media/{id})', multipart: media.uploadFieldsSchema, responses: { 202: Media }, problems: { 413: 'the file or its pixel count is over the limit', 415: 'not multipart/form-data with a `file` part, or not a JPEG, PNG, WebP or AVIF image', 422: 'a panorama that is not 2:1, or narrower than 512 pixels' } },
  { method: 'get', path: '/media', tag: 'Media', summary: 'My uploads, newest first', query: media.mediaListQuerySchema, responses: { 200: ['MediaPage', media.mediaPageSchema] } },
  { method: 'get', path: '/media/{id}', tag: 'Media', summary: 'Status, progress (0–100) and outputs of an upload', responses: { 200: Media } },
  { method: 'delete', path: '/media/{id}', tag: 'Media', summary: 'Delete an upload and its files', responses: { 204: null } },

  { method: 'post', path: '/ai-jobs', tag: 'AI jobs', summary: 'Start a job on this server’s CPU: `scene_analysis` of a scene (objects, room type, image quality, near-duplicate scenes, info hotspot suggestions) or `hotspot_generation` for a tour (navigation link suggestions); follow it at GET /ai-jobs/{id} or the socket /ws/jobs/{id}', body: ['AiJobCreate', jobs.aiJobCreateSchema], responses: { 202: AiJob }, problems: { 404: 'no such scene or tour among yours', 409: 'the scene has no processed panorama', 429: 'the account has the most unfinished AI jobs it may have' } },
  { method: 'get', path: '/ai-jobs', tag: 'AI jobs', summary: 'A tour’s latest AI jobs, newest first', query: jobs.aiJobListQuerySchema, responses: { 200: ['AiJobList', jobs.aiJobListSchema] }, problems: { 404: 'no such tour among yours' } },
  { method: 'get', path: '/ai-jobs/{id}', tag: 'AI jobs', summary: 'Status, progress (percent and stage), result or error of an AI job', responses: { 200: AiJob } },
  { method: 'post', path: '/ai-jobs/{id}/cancel', tag: 'AI jobs', summary: 'Cancel a pending or running job (a running one stops within a second)', responses: { 200: AiJob }, problems: { 409: 'the job has already ended' } },
  { method: 'get', path: '/ai-jobs/{id}/suggestions', tag: 'AI jobs', summary: 'The hotspots a job suggests, most confident first; none is a hotspot until accepted', responses: { 200: ['SuggestionList', jobs.suggestionListSchema] } },
  { method: 'post', path: '/ai-suggestions/{id}/accept', tag: 'AI jobs', summary: 'Accept a suggestion: creates its hotspot, in one step', responses: { 201: Hotspot }, problems: { 409: 'the suggestion was already accepted or rejected, or its scene has the most hotspots a scene may have', 422: 'the suggested link’s target is no longer a scene of the tour' } },
  { method: 'post', path: '/ai-suggestions/{id}/reject', tag: 'AI jobs', summary: 'Reject a suggestion; later jobs do not suggest it again', responses: { 200: Suggestion }, problems: { 409: 'the suggestion was already accepted' } },

  { method: 'post', path: '/custom-domains', tag: 'Custom domains', summary: 'Serve one of my tours at my own host: answers the TXT and CNAME records to create', body: ['CustomDomainCreate', domains.createDomainSchema], responses: { 201: CustomDomain }, problems: { 400: 'the host is not a valid host name, or belongs to the platform itself', 404: 'no such tour among yours', 409: 'the host is already yours, or another account’s: the problem’s `dnsRecords` move it to you once created' } },
  { method: 'get', path: '/custom-domains', tag: 'Custom domains', summary: 'My custom domains', responses: { 200: ['CustomDomainList', domains.customDomainListSchema] } },
  { method: 'get', path: '/custom-domains/{id}', tag: 'Custom domains', summary: 'One custom domain, with its verification and certificate status', responses: { 200: CustomDomain } },
  { method: 'post', path: '/custom-domains/{id}/verify', tag: 'Custom domains', summary: 'Check the DNS records now (and restart the background checks’ backoff); once per domain per DOMAIN_VERIFY_COOLDOWN_MS', responses: { 200: ['VerifiedCustomDomain', domains.verifiedDomainSchema] }, problems: { 429: 'the domain was checked less than the cooldown ago; see Retry-After' } },
  { method: 'delete', path: '/custom-domains/{id}', tag: 'Custom domains', summary: 'Stop serving the host (at once)', responses: { 204: null } },
  { method: 'get', path: '/oembed', root: true, tag: 'Embeds', auth: 'public', summary: 'oEmbed (oembed.com) for a pasted tour URL — `/t/{id}`, `/embed/{id}` or a verified custom domain’s — as a `rich` iframe within maxwidth/maxheight (16:9); format=xml answers the same as text/xml (any origin)', query: oembedQuerySchema, responses: { 200: ['OEmbed', oembedResponseSchema] }, problems: { 400: '`url` is not a URL of this server or of one of its custom domains', 404: 'no published public or unlisted tour at `url` (drafts and private tours look the same)', 501: '`format` is neither json nor xml' } },
  { method: 'get', path: '/custom-domains/tls-ask', tag: 'Custom domains', auth: 'none', summary: 'The TLS edge’s on-demand `ask`: 200 lets it obtain a certificate for `domain`', query: domains.tlsAskSchema, responses: { 200: { contentType: 'text/plain', description: '`ok`: a verified custom domain' } }, problems: { 404: 'not a verified custom domain' } },
];
