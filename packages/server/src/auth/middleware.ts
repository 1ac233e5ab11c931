import type { RequestHandler } from 'express';
import type { Sql } from '@vr-tour/db';
import { HttpProblem } from '../http/problem.js';
import { CSRF_HEADER, SESSION_COOKIE, readCookie } from './cookies.js';
import { csrfTokenFor, sameSecret } from './secrets.js';
import { findSessionUser, findTokenUser } from './sql.js';

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Establishes `req.user` from `Authorization: Bearer` or the session cookie,
 * and refuses cookie-authenticated writes without the session's CSRF token.
 * A request without credentials passes through anonymous; routes decide.
 * Bearer wins over the cookie: a script holding a token is not a browser
 * being tricked, so it needs no CSRF token.
 */
export function authenticate(sql: Sql): RequestHandler {
  return async (req, _res, next) => {
    try {
      const authorization = req.get('authorization');
      if (authorization !== undefined) {
        const match = /^Bearer\s+(\S+)$/i.exec(authorization);
        const caller = match ? await findTokenUser(sql, match[1]!) : undefined;
        // A bad token is an error, not anonymity: the client meant to authenticate.
        if (!caller) throw new HttpProblem(401, 'Unauthorized', 'the API token is malformed, unknown or revoked');
        req.user = { ...caller, via: 'token' };
        return next();
      }
      const session = readCookie(req, SESSION_COOKIE);
      if (!session) return next();
      const caller = await findSessionUser(sql, session, SESSION_TTL_MS);
      // An expired cookie is treated as absent, so sign-in and public routes keep working.
      if (!caller) return next();
      if (!SAFE_METHODS.has(req.method)) {
        const sent = req.get(CSRF_HEADER);
        if (!sent || !sameSecret(sent, csrfTokenFor(session))) {
          throw new HttpProblem(403, 'Forbidden', `a cookie-authenticated write needs the ${CSRF_HEADER} header (from GET /api/v1/auth/session)`);
        }
      }
      req.user = { ...caller, via: 'session' };
      next();
    } catch (error) {
      next(error);
    }
  };
}
