import { Router, type Request, type Response } from 'express';
import type { Sql } from '@vr-tour/db';
import { removeFiles } from '../media/files.js';
import { filesOfUser } from '../media/sql.js';
import type { Storage } from '../storage/storage.js';
import { HttpProblem, notFound, parseOr400 } from '../http/problem.js';
import { currentUser, requireAdmin, requireUser } from './context.js';
import { SESSION_COOKIE, clearSessionCookies, readCookie, setSessionCookies } from './cookies.js';
import { SESSION_TTL_MS } from './middleware.js';
import { loginThrottle } from './login-throttle.js';
import { clientNetwork } from './network.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { csrfTokenFor } from './secrets.js';
import {
  createTokenSchema,
  idParamSchema,
  loginSchema,
  setRoleSchema,
  signUpSchema,
  type SignUpAccepted,
} from './schemas.js';
import * as db from './sql.js';

export interface AuthRouteOptions {
  sql: Sql;
  /** Where a deleted user's media files are removed from. */
  storage: Storage;
  /** Failed logins per email from one network before it waits (login-throttle.ts); a network gets five times as many. */
  loginMaxAttempts: number;
  /** With an https PUBLIC_URL, session cookies are always Secure. */
  publicUrl: string | undefined;
}

export function toUser(row: db.UserRow) {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role,
    createdAt: row.created_at.toISOString(),
  };
}

function toToken(row: db.TokenRow) {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** The same for a new account as for a taken email (see the sign-up route). */
const SIGN_UP_MESSAGE =
  'If this email had no account, it has one now and this browser is signed in to it (GET /api/v1/auth/session says so). ' +
  'If it had one, nothing changed: sign in with that account’s password.';

function tooManyAttempts(res: Response, seconds: number): HttpProblem {
  res.set('Retry-After', String(seconds));
  return new HttpProblem(429, 'Too Many Requests', `too many attempts from your network; try again in ${seconds} s`);
}

/** Sign-up, login, logout, the current session, API tokens, and admin user management. */
export function authRoutes({ sql, storage, loginMaxAttempts, publicUrl }: AuthRouteOptions): Router {
  const router = Router();
  const throttle = loginThrottle(sql, loginMaxAttempts);
  // Behind an https PUBLIC_URL a hop may still be plain HTTP (a proxy that sends no
  // X-Forwarded-Proto): the browser is on https all the same.
  const alwaysSecure = publicUrl?.startsWith('https:') === true;
  const secure = (req: Request) => alwaysSecure || req.secure;

  /** The database cascades to the user's tours, media rows, sessions and tokens; their files go here. */
  async function deleteAccount(id: string): Promise<boolean> {
    const files = await filesOfUser(sql, id);
    if (!(await db.deleteUser(sql, id))) return false;
    await removeFiles(sql, storage, files);
    return true;
  }

  /** Sets the session cookies; returns the CSRF token. */
  async function startSession(req: Request, res: Response, user: db.UserRow): Promise<string> {
    const secret = await db.createSession(sql, user.id, SESSION_TTL_MS, req.get('user-agent'));
    const csrfToken = csrfTokenFor(secret);
    setSessionCookies(res, secure(req), secret, csrfToken, SESSION_TTL_MS);
    return csrfToken;
  }

  /*
   * A taken email gets the answer a free one gets (202, the same body), after the
   * same work (the password is hashed either way), so the answer does not tell
   * which emails have accounts. Only a new account gets a session: its owner is
   * signed in at once, and the owner of a taken email is not touched. Whoever
   * signed up learns which case it was by being signed in or not, but that is no
   * more than signing up and then logging in would tell them under any design
   * that creates the account when the email is free; and each such probe of a
   * free email creates an account in their name, counted against their network.
   */
  router.post('/auth/signup', async (req, res) => {
    const input = parseOr400(signUpSchema, req.body);
    const retryAfter = await throttle.beginSignUp(clientNetwork(req.ip));
    if (retryAfter > 0) throw tooManyAttempts(res, retryAfter);
    const passwordHash = await hashPassword(input.password);
    const user = await db.insertUser(sql, { email: input.email, passwordHash, displayName: input.displayName });
    if (user) await startSession(req, res, user);
    const answer: SignUpAccepted = { email: input.email, message: SIGN_UP_MESSAGE };
    res.status(202).json(answer);
  });

  router.post('/auth/login', async (req, res) => {
    const input = parseOr400(loginSchema, req.body);
    const { retryAfter, attempt } = await throttle.beginLogin(input.email, clientNetwork(req.ip));
    if (retryAfter > 0) throw tooManyAttempts(res, retryAfter);
    const user = await db.findUserForLogin(sql, input.email);
    if (!(await verifyPassword(user?.password_hash ?? null, input.password)) || !user) {
      await throttle.failed(attempt);
      throw new HttpProblem(401, 'Unauthorized', 'the email or the password is wrong');
    }
    await throttle.succeeded(attempt);
    const csrfToken = await startSession(req, res, user);
    res.json({ user: toUser(user), csrfToken });
  });

  router.post('/auth/logout', async (req, res) => {
    const secret = readCookie(req, SESSION_COOKIE);
    if (secret && req.user?.via === 'session') await db.deleteSession(sql, secret);
    clearSessionCookies(res, secure(req));
    res.status(204).end();
  });

  router.get('/auth/session', requireUser, async (req, res) => {
    const caller = currentUser(req);
    const user = await db.findUser(sql, caller.id);
    if (!user) throw new HttpProblem(401, 'Unauthorized', 'this account no longer exists');
    const secret = readCookie(req, SESSION_COOKIE);
    res.set('Cache-Control', 'no-store');
    res.json({ user: toUser(user), csrfToken: caller.via === 'session' && secret ? csrfTokenFor(secret) : null });
  });

  router.delete('/auth/me', requireUser, async (req, res) => {
    await deleteAccount(currentUser(req).id);
    clearSessionCookies(res, secure(req));
    res.status(204).end();
  });

  router.post('/auth/tokens', requireUser, async (req, res) => {
    const { name } = parseOr400(createTokenSchema, req.body);
    const created = await db.createApiToken(sql, currentUser(req).id, name);
    res.set('Cache-Control', 'no-store');
    res.status(201).json({ ...toToken(created), token: created.token });
  });

  router.get('/auth/tokens', requireUser, async (req, res) => {
    res.json({ items: (await db.listApiTokens(sql, currentUser(req).id)).map(toToken) });
  });

  router.delete('/auth/tokens/:id', requireUser, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await db.revokeApiToken(sql, currentUser(req).id, id))) throw notFound('no such token');
    res.status(204).end();
  });

  router.patch('/users/:id', requireAdmin, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    const { role } = parseOr400(setRoleSchema, req.body);
    const user = await db.setUserRole(sql, id, role);
    if (!user) throw notFound('no such user');
    res.json(toUser(user));
  });

  router.delete('/users/:id', requireAdmin, async (req, res) => {
    const { id } = parseOr400(idParamSchema, req.params, 'path');
    if (!(await deleteAccount(id))) throw notFound('no such user');
    res.status(204).end();
  });

  return router;
}
