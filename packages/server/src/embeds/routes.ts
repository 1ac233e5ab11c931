import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Sql } from '@vr-tour/db';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { allowAnyOrigin } from '../http/cors.js';
import { sendJsonWithEtag } from '../http/etag.js';
import { badRequest, HttpProblem, notFound, parseOr400 } from '../http/problem.js';
import { PUBLIC_CACHE_CONTROL } from '../public/routes.js';
import type { Storage } from '../storage/storage.js';
import { viewQuery } from './options.js';
import { frameSize, iframeHtml, oembedQuerySchema, oembedXml, resolveTourUrl, type OEmbedResponse } from './oembed.js';
import { sendNotFoundPage } from './page.js';
import { TourPages } from './pages.js';
import { SOCIAL_CARD, SocialCards } from './social-card.js';
import { unbrandedDocument } from './unbranded.js';

export interface EmbedDependencies {
  sql: Sql;
  config: Config;
  logger: Logger;
  storage: Storage;
  /** The collector endpoint written into the documents served here, as the public API writes it. */
  collectorUrl: string | null;
}

const PROVIDER_NAME = 'vr-tour';
/** How long a consumer may keep an oEmbed answer (WordPress keeps them a day by default). */
const OEMBED_CACHE_AGE = 3600;

const tourIdSchema = z.uuid();

/** The path's tour id in its stored spelling, or undefined for anything that is not one. */
function tourIdOf(value: unknown): string | undefined {
  const parsed = tourIdSchema.safeParse(typeof value === 'string' ? value.toLowerCase() : value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A tour's public faces besides its JSON: the share page `/t/{id}`, the
 * iframe page `/embed/{id}` (with its unbranded document), and `/oembed`,
 * which turns a pasted URL of either (or of a custom domain) into an iframe.
 * `pages` serves custom domains the same share page.
 */
export function embedRoutes(deps: EmbedDependencies): { router: Router; pages: TourPages } {
  const pages = new TourPages(deps.sql, new SocialCards(deps.sql, deps.storage, deps.logger), deps.collectorUrl);
  const platformOrigin = (req: Request) => deps.config.publicUrl ?? `${req.protocol}://${req.get('host')}`;
  const address = (req: Request, tourId: string) => {
    const origin = platformOrigin(req);
    return { tourId, origin, canonicalUrl: `${origin}/t/${tourId}` };
  };
  const router = Router();

  router.get('/t/:id', async (req, res) => {
    const id = tourIdOf(req.params.id);
    if (!id) return sendNotFoundPage(res);
    await pages.sendShare(req, res, address(req, id));
  });

  router.get('/embed/:id', async (req, res) => {
    const id = tourIdOf(req.params.id);
    if (!id) return sendNotFoundPage(res);
    await pages.sendEmbed(req, res, address(req, id));
  });

  router.get('/embed/:id/unbranded.json', allowAnyOrigin(), async (req, res) => {
    const id = tourIdOf(req.params.id);
    const tour = id && (await pages.shareable(id));
    if (!tour) throw notFound(`no published tour ${req.params.id}`);
    sendJsonWithEtag(req, res, unbrandedDocument(tour.document), PUBLIC_CACHE_CONTROL);
  });

  router.get('/oembed', allowAnyOrigin(), async (req, res) => {
    const query = parseOr400(oembedQuerySchema, req.query, 'query');
    if (query.format !== 'json' && query.format !== 'xml') {
      throw new HttpProblem(501, 'Not Implemented', `format ${query.format} is not supported: use json or xml`);
    }
    const origin = platformOrigin(req);
    const resolved = await resolveTourUrl(deps.sql, query.url, {
      origin,
      requestHost: req.get('host') ?? '',
      platformHosts: deps.config.customDomains.platformHosts,
    });
    if (resolved === 'foreign') throw badRequest(`${query.url} is not a tour URL of this server`);
    const tour = resolved === 'none' ? undefined : await pages.shareable(resolved.address.tourId);
    if (resolved === 'none' || !tour) throw notFound(`no public tour at ${query.url}`);

    const { address: target, options } = resolved;
    const branding = tour.document.settings.embed?.unbrandedOnly ? 'off' : options.branding;
    const embedQuery = viewQuery({ ...options, branding });
    const size = frameSize(query.maxwidth, query.maxheight);
    const card = await pages.image(tour, target.origin);
    const answer: OEmbedResponse = {
      version: '1.0',
      type: 'rich',
      title: tour.document.title,
      provider_name: PROVIDER_NAME,
      provider_url: origin,
      html: iframeHtml({ src: `${target.origin}/embed/${target.tourId}${embedQuery ? `?${embedQuery}` : ''}`, ...size, title: tour.document.title }),
      ...size,
      ...(card?.size
        ? { thumbnail_url: card.url, thumbnail_width: SOCIAL_CARD.width, thumbnail_height: SOCIAL_CARD.height }
        : {}),
      cache_age: OEMBED_CACHE_AGE,
    };
    res.set('Cache-Control', PUBLIC_CACHE_CONTROL);
    if (query.format === 'xml') return void res.type('text/xml').send(oembedXml(answer));
    res.json(answer);
  });

  return { router, pages };
}
