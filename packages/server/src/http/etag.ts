import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

/** A strong validator: the hash of the exact bytes served. */
export function strongEtag(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;
}

/** RFC 9110 13.1.2: If-None-Match uses the weak comparison, and `*` matches any current representation. */
export function matchesIfNoneMatch(req: Request, etag: string): boolean {
  const header = req.get('if-none-match');
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((candidate) => opaque(candidate) === opaque(etag));
}

/** Sends a JSON body with a strong ETag, or 304 when the client already has it. */
export function sendJsonWithEtag(req: Request, res: Response, value: unknown, cacheControl: string): void {
  const body = JSON.stringify(value);
  const etag = strongEtag(body);
  res.set({ ETag: etag, 'Cache-Control': cacheControl, Vary: 'Accept-Encoding' });
  if (matchesIfNoneMatch(req, etag)) {
    res.status(304).end();
    return;
  }
  res.type('application/json').send(body);
}
