import type { RequestHandler } from 'express';
import type { UserRole } from '@vr-tour/protocol';
import { HttpProblem } from '../http/problem.js';

/** Who is calling, as established by the authentication middleware. */
export interface AuthUser {
  id: string;
  role: UserRole;
  /** How the caller authenticated; cookie-authenticated writes need a CSRF token. */
  via: 'session' | 'token';
}

declare global {
  // Express's own extension point for request properties.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      user?: AuthUser;
    }
  }
}

/** Every editor route sits behind this: no caller, no access. */
export const requireUser: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new HttpProblem(401, 'Unauthorized', 'sign in, or send an API token as Authorization: Bearer'));
  next();
};

export const requireAdmin: RequestHandler = (req, _res, next) => {
  if (!req.user) return next(new HttpProblem(401, 'Unauthorized', 'sign in, or send an API token as Authorization: Bearer'));
  if (req.user.role !== 'admin') return next(new HttpProblem(403, 'Forbidden', 'this action needs the admin role'));
  next();
};

/** The caller, on a route behind requireUser. */
export function currentUser(req: Express.Request): AuthUser {
  if (!req.user) throw new HttpProblem(401, 'Unauthorized', 'sign in first');
  return req.user;
}
