import type { Request, Response } from 'express';
import type { Scene, TourDocument, TourVisibility } from '@vr-tour/protocol';
import type { Sql } from '@vr-tour/db';
import { loadPublicTourDocument } from '../public/tour-document.js';
import { viewOptionsSchema, viewQuery, type ViewOptions } from './options.js';
import { sendNotFoundPage, sendTourPage, type SocialImage, type ViewerAttributes } from './page.js';
import { SOCIAL_CARD, type SocialCards } from './social-card.js';
import { publicVisibility } from './sql.js';

/** A tour that may be shown to anyone: published, public or unlisted, with a ready scene. */
export interface ShareableTour {
  document: TourDocument;
  visibility: TourVisibility;
}

/** Where a tour's pages live: the platform, or a custom domain's own host and path. */
export interface TourAddress {
  tourId: string;
  /** Scheme, host and port every absolute URL of the page starts with. */
  origin: string;
  /** The share page's URL. */
  canonicalUrl: string;
}

/** What `<vr-tour src>` loads: the public document, or the unbranded one the embeds serve. */
const documentPath = (tourId: string, branding: 'on' | 'off') =>
  branding === 'off' ? `/embed/${tourId}/unbranded.json` : `/api/v1/public/tours/${tourId}`;

const initialScene = (document: TourDocument): Scene =>
  document.scenes.find((scene) => scene.id === document.initialSceneId) ?? document.scenes[0]!;

/**
 * The share page and the iframe page of a tour, built from the tour's
 * public document (so both show exactly what the public API serves), for
 * the platform's routes and for custom domains alike.
 */
export class TourPages {
  constructor(
    private readonly sql: Sql,
    private readonly cards: SocialCards,
    private readonly collectorUrl: string | null,
  ) {}

  /** The tour, or undefined for drafts, private, archived and unknown tours alike. */
  async shareable(tourId: string): Promise<ShareableTour | undefined> {
    const [document, visibility] = await Promise.all([
      loadPublicTourDocument(this.sql, tourId, this.collectorUrl),
      publicVisibility(this.sql, tourId),
    ]);
    return document && visibility ? { document, visibility } : undefined;
  }

  /** The social card (the start view at 1200x630) as an absolute URL, else the tour's own thumbnail. */
  async image(tour: ShareableTour, origin: string): Promise<SocialImage | null> {
    const card = await this.cards.url(tour.document.id, initialScene(tour.document));
    if (card) return { url: new URL(card, origin).toString(), size: SOCIAL_CARD };
    return tour.document.thumbnailUrl ? { url: new URL(tour.document.thumbnailUrl, origin).toString(), size: null } : null;
  }

  async sendShare(req: Request, res: Response, address: TourAddress): Promise<void> {
    const tour = await this.shareable(address.tourId);
    if (!tour) return sendNotFoundPage(res);
    const options = viewOptionsSchema.parse(req.query);
    const viewer = attributes(tour.document, options, options.branding);
    // Discovery keeps the page's own options: a pasted `?branding=off` link embeds unbranded.
    const query = viewQuery({ ...options, scene: viewer.scene });
    const pageUrl = query ? `${address.canonicalUrl}?${query}` : address.canonicalUrl;
    sendTourPage(res, {
      kind: 'share',
      title: tour.document.title,
      description: tour.document.description,
      canonicalUrl: address.canonicalUrl,
      indexable: tour.visibility === 'public',
      image: await this.image(tour, address.origin),
      oembedUrl: `${address.origin}/oembed?url=${encodeURIComponent(pageUrl)}`,
      documentPath: documentPath(tour.document.id, viewer.branding),
      viewer,
    });
  }

  async sendEmbed(req: Request, res: Response, address: TourAddress): Promise<void> {
    const tour = await this.shareable(address.tourId);
    if (!tour) return sendNotFoundPage(res);
    const options = viewOptionsSchema.parse(req.query);
    const branding = tour.document.settings.embed?.unbrandedOnly ? 'off' : options.branding;
    const viewer = attributes(tour.document, options, branding);
    sendTourPage(res, {
      kind: 'embed',
      title: tour.document.title,
      description: tour.document.description,
      canonicalUrl: address.canonicalUrl,
      indexable: false,
      image: null,
      oembedUrl: null,
      documentPath: documentPath(tour.document.id, branding),
      viewer,
    });
  }
}

/** The options as attributes; a scene that is not one of the tour's shown scenes is left to the tour. */
function attributes(document: TourDocument, options: ViewOptions, branding: 'on' | 'off'): ViewerAttributes {
  const scene = options.scene && document.scenes.some((candidate) => candidate.id === options.scene) ? options.scene : undefined;
  return {
    scene,
    yaw: options.yaw,
    pitch: options.pitch,
    fov: options.fov,
    autorotate: options.autorotate,
    controls: options.controls ?? true,
    branding,
  };
}
