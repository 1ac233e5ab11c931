import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in quoted attribute values alike. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

/** What the page tells `<vr-tour>` besides its document: the view to open and the UI to show. */
export interface ViewerAttributes {
  scene?: string;
  yaw?: number;
  pitch?: number;
  fov?: number;
  /** `''` at the tour's speed, degrees per second, or null for off; undefined leaves it to the tour. */
  autorotate?: string | null;
  controls: boolean;
  /**
   * `off`: the document the page loads is already the unbranded one; the
   * attribute is written too, for the viewer's own chrome (its share button).
   */
  branding: 'on' | 'off';
}

export interface SocialImage {
  /** Absolute: link previews fetch it from elsewhere. */
  url: string;
  /** Known for the social card; a tour's own thumbnail goes without. */
  size: { width: number; height: number } | null;
}

export interface TourPage {
  /**
   * `share`: the tour's own page (at /t/{id} or a custom domain), with link
   * previews and oEmbed discovery, framed by no one else. `embed`: the iframe
   * page, framed by any site, never listed by search engines.
   */
  kind: 'share' | 'embed';
  title: string;
  description: string | null;
  /** The share page's one URL (`https://tours.acme.com/listing-42`); an embed page names it too. */
  canonicalUrl: string;
  /** False for unlisted tours: reachable by link, never listed. */
  indexable: boolean;
  image: SocialImage | null;
  /** The absolute oEmbed endpoint (with this page's `url`), for discovery; share pages only. */
  oembedUrl: string | null;
  /** What `<vr-tour src>` loads, root-relative: a custom host proxies it to us. */
  documentPath: string;
  viewer: ViewerAttributes;
}

/** The tag and its line break, or nothing. */
const line = (html: string | false | null) => (html ? `${html}\n` : '');

function viewerAttributes(viewer: ViewerAttributes): string {
  const attributes: [string, string | undefined][] = [
    ['scene', viewer.scene],
    ['yaw', viewer.yaw?.toString()],
    ['pitch', viewer.pitch?.toString()],
    ['fov', viewer.fov?.toString()],
    ['autorotate', viewer.autorotate ?? undefined],
    // The viewer shows its control bar unless told `none`.
    ['controls', viewer.controls ? undefined : 'none'],
    ['branding', viewer.branding === 'off' ? 'off' : undefined],
  ];
  return attributes
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([name, value]) => (value === '' ? ` ${name}` : ` ${name}="${escapeHtml(value)}"`))
    .join('');
}

/** The head's tags for link previews (Open Graph, Twitter/X) and oEmbed consumers (WordPress). */
function previewTags(page: TourPage, title: string, description: string | null, canonical: string): string {
  const image = page.image;
  const alt = escapeHtml(`The start view of ${page.title}`);
  const oembed = page.oembedUrl;
  return (
    `<meta property="og:type" content="website">\n<meta property="og:title" content="${title}">\n<meta property="og:url" content="${canonical}">\n` +
    line(description && `<meta property="og:description" content="${description}">`) +
    line(
      image &&
        `<meta property="og:image" content="${escapeHtml(image.url)}">\n` +
          (image.size ? `<meta property="og:image:width" content="${image.size.width}">\n<meta property="og:image:height" content="${image.size.height}">\n` : '') +
          `<meta property="og:image:alt" content="${alt}">`,
    ) +
    `<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">\n` +
    line(image && `<meta name="twitter:image:alt" content="${alt}">`) +
    line(
      oembed &&
        `<link rel="alternate" type="application/json+oembed" href="${escapeHtml(`${oembed}&format=json`)}" title="${title}">\n` +
          `<link rel="alternate" type="text/xml+oembed" href="${escapeHtml(`${oembed}&format=xml`)}" title="${title}">`,
    )
  );
}

/**
 * The viewer, full-window, for people (the title and description are in the
 * page, visually hidden, for screen readers), search engines and link
 * previews. Script and document are root-relative: a custom host proxies
 * them to us.
 */
function renderTourPage(page: TourPage): string {
  const title = escapeHtml(page.title);
  const description = page.description ? escapeHtml(page.description) : null;
  const canonical = escapeHtml(page.canonicalUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="canonical" href="${canonical}">
${line(!page.indexable && '<meta name="robots" content="noindex">')}${line(description && `<meta name="description" content="${description}">`)}${
    page.kind === 'share' ? previewTags(page, title, description, canonical) : ''
  }<style>html,body{margin:0;height:100%;background:#000}vr-tour{display:block;width:100vw;height:100vh;height:100dvh}.visually-hidden{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}</style>
<script type="module" src="/vr-tour.js"></script>
</head>
<body>
<h1 class="visually-hidden">${title}</h1>
${line(description && `<p class="visually-hidden">${description}</p>`)}<vr-tour src="${escapeHtml(page.documentPath)}" loading="eager" aria-label="${title}"${viewerAttributes(page.viewer)}></vr-tour>
</body>
</html>
`;
}

/**
 * The pages' policy: scripts from this host only, no plugins, forms or
 * `<base>`; images, media and requests from anywhere (a tour's media may sit
 * on a CDN). Framing is the one thing the two kinds differ in.
 */
function pageSecurityPolicy(kind: TourPage['kind']): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    'img-src * data: blob:',
    'media-src * data: blob:',
    'connect-src * data: blob:',
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${kind === 'embed' ? '*' : "'self'"}`,
  ].join('; ');
}

export function sendTourPage(res: Response, page: TourPage): void {
  // Revalidated every time: a page must not outlive its tour's unpublishing (or its domain's deletion) in a cache.
  res
    .status(200)
    .set({ 'Cache-Control': 'no-cache', 'Content-Security-Policy': pageSecurityPolicy(page.kind) })
    .type('html')
    .send(renderTourPage(page));
}

/** The same plain page for every tour and host we do not serve, so it tells nothing about why. */
export function sendNotFoundPage(res: Response): void {
  res
    .status(404)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Not found</h1><p>There is nothing here.</p></body></html>\n');
}
