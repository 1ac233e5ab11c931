import type { Response } from 'express';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe in text and in quoted attribute values alike. */
export const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (char) => ESCAPES[char]!);

export interface TourPage {
  tourId: string;
  title: string;
  description: string | null;
  thumbnailUrl: string | null;
  /** `https://tours.acme.com/listing-42`: the one URL search engines and link previews should use. */
  canonicalUrl: string;
}

/**
 * The viewer, full-window, with the tags link previews read. Script and
 * document are root-relative: the custom host proxies them to us.
 */
export function renderTourPage(page: TourPage): string {
  const origin = new URL(page.canonicalUrl).origin;
  const title = escapeHtml(page.title);
  const description = page.description ? escapeHtml(page.description) : null;
  const image = page.thumbnailUrl ? escapeHtml(new URL(page.thumbnailUrl, origin).toString()) : null;
  const canonical = escapeHtml(page.canonicalUrl);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="canonical" href="${canonical}">
${description ? `<meta name="description" content="${description}">\n` : ''}<meta property="og:type" content="website">
<meta property="og:title" content="${title}">
<meta property="og:url" content="${canonical}">
${description ? `<meta property="og:description" content="${description}">\n` : ''}${
    image ? `<meta property="og:image" content="${image}">\n` : ''
  }<meta name="twitter:card" content="${image ? 'summary_large_image' : 'summary'}">
<style>html,body{margin:0;height:100%;background:#000}vr-tour{display:block;width:100vw;height:100vh;height:100dvh}</style>
<script type="module" src="/vr-tour.js"></script>
</head>
<body>
<vr-tour src="/api/v1/public/tours/${escapeHtml(page.tourId)}" aria-label="${title}"></vr-tour>
</body>
</html>
`;
}

export function sendTourPage(res: Response, page: TourPage): void {
  // Revalidated every time: a page must not outlive the domain's deletion in a cache.
  res.status(200).set('Cache-Control', 'no-cache').type('html').send(renderTourPage(page));
}

/** The same plain page for every host we do not serve, so it tells nothing about why. */
export function sendNotFoundPage(res: Response): void {
  res
    .status(404)
    .set('Cache-Control', 'no-store')
    .type('html')
    .send('<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Not found</title></head><body><h1>Not found</h1><p>There is nothing here.</p></body></html>\n');
}
