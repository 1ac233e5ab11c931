import { z } from 'zod';
import type { Sql } from '@vr-tour/db';
import { TOUR_LIMITS } from '@vr-tour/protocol';
import { canonicalHost, isPlatformHost } from '../custom-domains/hosts.js';
import { findServedDomain } from '../custom-domains/sql.js';
import { PUBLICLY_VISIBLE } from '../public/sql.js';
import { viewOptionsSchema, type ViewOptions } from './options.js';
import { escapeHtml } from './page.js';
import type { TourAddress } from './pages.js';

/** `/oembed`'s query (oembed.com, section 2.2). */
export const oembedQuerySchema = z.object({
  url: z
    .string()
    .max(TOUR_LIMITS.urlLength)
    .refine((value) => /^https?:\/\//i.test(value) && URL.canParse(value), 'must be an http(s) URL'),
  maxwidth: z.coerce.number().int().min(1).max(100_000).optional(),
  maxheight: z.coerce.number().int().min(1).max(100_000).optional(),
  /** `json` (default) or `xml`; anything else answers 501, as the spec asks. */
  format: z.string().max(20).default('json'),
});

/** The answer (oembed.com, section 2.3): always a `rich` iframe. */
export const oembedResponseSchema = z.object({
  version: z.literal('1.0'),
  type: z.literal('rich'),
  title: z.string(),
  provider_name: z.string(),
  provider_url: z.string(),
  html: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  thumbnail_url: z.string().optional(),
  thumbnail_width: z.number().int().optional(),
  thumbnail_height: z.number().int().optional(),
  cache_age: z.number().int(),
});
export type OEmbedResponse = z.infer<typeof oembedResponseSchema>;

/** What the iframe may use, delegated by the embedding page: full screen, look around by moving the phone, VR. */
export const IFRAME_ALLOW = 'fullscreen; gyroscope; accelerometer; xr-spatial-tracking';

/** The iframe we hand out. `frameborder` as well as the style: WordPress keeps only the former around untrusted embeds. */
export function iframeHtml({ src, width, height, title }: { src: string; width: number; height: number; title: string }): string {
  return (
    `<iframe src="${escapeHtml(src)}" width="${width}" height="${height}" title="${escapeHtml(title)}" ` +
    `allow="${IFRAME_ALLOW}" allowfullscreen loading="lazy" frameborder="0" style="border:0;max-width:100%"></iframe>`
  );
}

const DEFAULT_WIDTH = 640;
const MAX_WIDTH = 1920;

/** 16:9 at the consumer's width (640 when it gives none), shrunk to fit its height too. */
export function frameSize(maxWidth?: number, maxHeight?: number): { width: number; height: number } {
  let width = Math.min(maxWidth ?? DEFAULT_WIDTH, MAX_WIDTH);
  if (maxHeight !== undefined && (width * 9) / 16 > maxHeight) width = (maxHeight * 16) / 9;
  width = Math.max(1, Math.floor(width));
  return { width, height: Math.max(1, Math.floor((width * 9) / 16)) };
}

const PLATFORM_PATH = /^\/(?:t|embed)\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/i;

/** A URL resolved to a tour address with the view options its query carries; `none`: ours, but no tour there; `foreign`: not ours at all. */
export type ResolvedUrl = { address: TourAddress; options: ViewOptions } | 'none' | 'foreign';

/**
 * Which tour a pasted URL shows: `/t/{id}` or `/embed/{id}` on one of the
 * platform's hosts (or the host this request came by, when it is no custom
 * domain), or a verified custom domain's canonical URL (its one path, a
 * trailing slash allowed).
 */
export async function resolveTourUrl(sql: Sql, raw: string, platform: { origin: string; requestHost: string; platformHosts: readonly string[] }): Promise<ResolvedUrl> {
  const url = new URL(raw);
  const options = viewOptionsSchema.parse(Object.fromEntries(url.searchParams));
  const host = canonicalHost(url.hostname);
  const onPlatform = (): ResolvedUrl => {
    const tourId = PLATFORM_PATH.exec(url.pathname)?.[1]?.toLowerCase();
    if (!tourId) return 'none';
    return { address: { tourId, origin: platform.origin, canonicalUrl: `${platform.origin}/t/${tourId}` }, options };
  };
  if (isPlatformHost(host, platform.platformHosts)) return onPlatform();
  const domain = await findServedDomain(sql, host, PUBLICLY_VISIBLE);
  // Without PUBLIC_URL the platform may be reached under a name nobody configured: the one this request came by.
  if (!domain) return url.host === platform.requestHost ? onPlatform() : 'foreign';
  const path = url.pathname === `${domain.path}/` ? domain.path : url.pathname;
  if (domain.verification_status !== 'verified' || !domain.tour_visible || path !== domain.path) return 'none';
  return { address: { tourId: domain.tour_id, origin: url.origin, canonicalUrl: `${url.origin}${domain.path}` }, options };
}

/** The XML form of the same answer (section 2.3.4): one element per field, text escaped. */
export function oembedXml(response: OEmbedResponse): string {
  const fields = Object.entries(response)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `  <${name}>${escapeHtml(String(value))}</${name}>`);
  return `<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n<oembed>\n${fields.join('\n')}\n</oembed>\n`;
}
