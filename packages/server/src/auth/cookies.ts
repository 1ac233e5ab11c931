import type { Request, Response } from 'express';

export const SESSION_COOKIE = 'vrt_session';
/** Readable by the editor's own scripts, which echo it as X-CSRF-Token. */
export const CSRF_COOKIE = 'vrt_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** The value of one cookie, without a parser dependency for two names. */
export function readCookie(req: Pick<Request, 'headers'>, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0 || part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * `secure`: the request came over TLS (req.secure honours X-Forwarded-Proto from
 * a trusted proxy), or PUBLIC_URL is https, whatever the last hop was.
 */
export function setSessionCookies(res: Response, secure: boolean, session: string, csrf: string, maxAgeMs: number): void {
  const common = { sameSite: 'lax' as const, secure, path: '/', maxAge: maxAgeMs };
  res.cookie(SESSION_COOKIE, session, { ...common, httpOnly: true });
  res.cookie(CSRF_COOKIE, csrf, { ...common, httpOnly: false });
}

export function clearSessionCookies(res: Response, secure: boolean): void {
  const common = { sameSite: 'lax' as const, secure, path: '/' };
  res.clearCookie(SESSION_COOKIE, { ...common, httpOnly: true });
  res.clearCookie(CSRF_COOKIE, common);
}
