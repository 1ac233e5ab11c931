import type { Request, RequestHandler } from 'express';
import type { Sql } from '@vr-tour/db';
import { sendNotFoundPage } from '../embeds/page.js';
import type { TourPages } from '../embeds/pages.js';
import { PUBLICLY_VISIBLE } from '../public/sql.js';
import { canonicalHost, isPlatformHost } from './hosts.js';
import type { CustomDomainSettings } from './settings.js';
import { findServedDomain } from './sql.js';

/** Whether `/oembed`'s `url` is a URL of this same host: a custom host answers for itself only. */
function asksAboutHost(req: Request, host: string): boolean {
  const url = typeof req.query.url === 'string' && URL.canParse(req.query.url) ? new URL(req.query.url) : undefined;
  return url !== undefined && canonicalHost(url.hostname) === host;
}

/**
 * What the pages load from their own host: the script, its chunks, media,
 * beacons, this tour's documents (branded and unbranded) only, and oEmbed
 * answers about this host's URL.
 */
function isViewerResource(req: Request, tourId: string, host: string): boolean {
  const path = req.path;
  if (path === '/vr-tour.js' || path.startsWith('/chunks/') || path.startsWith('/media/')) return true;
  if (path === '/collect' || path.startsWith('/collect/')) return true;
  if (path === '/oembed') return asksAboutHost(req, host);
  return path === `/api/v1/public/tours/${tourId}` || path === `/embed/${tourId}/unbranded.json`;
}

/** The port the visitor's browser used, when not its scheme's default (`req.host` keeps it). */
const portSuffix = (req: Request) => /:\d+$/.exec(req.host ?? '')?.[0] ?? '';

const queryOf = (url: string) => (url.includes('?') ? url.slice(url.indexOf('?')) : '');

/**
 * The tour lives at exactly one URL, its canonical one. The host's root leads
 * there (302: the host may be re-created with another path), as does the
 * path with a trailing slash (308: one spelling). Anything else is not found.
 */
function redirectStatus(requested: string, tourPath: string): 302 | 308 | undefined {
  if (tourPath === '/') return undefined;
  if (requested === '/') return 302;
  if (requested === `${tourPath}/`) return 308;
  return undefined;
}

/**
 * Runs first. A request for one of the platform's hosts passes through to
 * the app. Any other Host is a custom domain: a verified one gets its tour's
 * share page at the domain's path, its iframe page at `/embed/{tour id}`
 * (and the few resources those pages load); anything else gets the plain
 * 404 page, never another tour and never the editor API. The table is read
 * on every request, so a deleted or failed domain stops being served at once.
 */
export function hostRouter(sql: Sql, settings: CustomDomainSettings, pages: TourPages): RequestHandler {
  return async (req, res, next) => {
    // Behind the edge, `trust proxy` makes this X-Forwarded-Host when the edge sets it, else Host.
    const host = canonicalHost(req.hostname ?? '');
    if (!host || isPlatformHost(host, settings.platformHosts)) return next();
    try {
      const domain = await findServedDomain(sql, host, PUBLICLY_VISIBLE);
      if (!domain) {
        // Without PUBLIC_URL or PLATFORM_HOSTS an unknown name may well be the platform's own.
        return settings.knowsOwnHosts ? sendNotFoundPage(res) : next();
      }
      if (domain.verification_status !== 'verified' || !domain.tour_visible) return sendNotFoundPage(res);
      if (isViewerResource(req, domain.tour_id, host)) return next();
      if (req.method !== 'GET' && req.method !== 'HEAD') return sendNotFoundPage(res);
      const origin = `${req.protocol}://${host}${portSuffix(req)}`;
      const address = { tourId: domain.tour_id, origin, canonicalUrl: `${origin}${domain.path}` };
      if (req.path === domain.path) return await pages.sendShare(req, res, address);
      if (req.path === `/embed/${domain.tour_id}`) return await pages.sendEmbed(req, res, address);
      const redirect = redirectStatus(req.path, domain.path);
      if (redirect) return void res.redirect(redirect, domain.path + queryOf(req.originalUrl));
      sendNotFoundPage(res);
    } catch (error) {
      next(error);
    }
  };
}
