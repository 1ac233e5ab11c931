import { Router, type Request, type Response } from 'express';
import type { Sql } from '@vr-tour/db';
import { removeFiles } from '../media/files.js';
import { filesOfUser } from '../media/sql.js';
import type { Storage } from '../storage/storage.js';
import { HttpProblem, notFound, parseOr400 } from '../http/problem.js';
import { currentUser, requireAdmin, requireUser } from './context.js';
import { SESSION_COOKIE, clearSessionCookies, readCookie, setSessionCookies } from './cookies.js';
import { SESSION_TTL_MS } from './middleware.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { csrfTokenFor } from './secrets.js';
import {
  createTokenSchema,
  idParamSchema,
  loginSchema,
  setRoleSchema,
  signUpSchema,
} from './schemas.js';
import * as db from './sql.js';

const LOGIN_WINDOW_MS = 15 * 60 * 1000;

export interface AuthRouteOptions {
  sql: Sql;
  /** Where a deleted user's media files are removed from. */
  storage: Storage;
  /** Failed-or-not login attempts allowed per email per window; an IP gets five times as many. */
  loginMaxAttempts: number;
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

/** Sign-up, login, logout, the current session, API tokens, and admin user management. */
export function authRoutes({ sql, storage, loginMaxAttempts }: AuthRouteOptions): Router {
  const router = Router();

  /** The database cascades to the user's tours, media rows, sessions and tokens; their files go here. */
  async function deleteAccount(id: string): Promise<boolean> {
    const files = await filesOfUser(sql, id);
    if (!(await db.deleteUser(sql, id))) return false;
    await removeFiles(sql, storage, files);
    return true;
  }

  async function startSession(req: Request, res: Response, user: db.UserRow, status: number) {
    const secret = await db.createSession(sql, user.id, SESSION_TTL_MS, req.get('user-agent'));
    const csrfToken = csrfTokenFor(secret);
    setSessionCookies(req, res, secret, csrfToken, SESSION_TTL_MS);
    res.status(status).json({ user: toUser(user), csrfToken });
  }

  router.post('/auth/signup', async (req, res) => {
    const input = parseOr400(signUpSchema, req.body);
    const user = await db.insertUser(sql, {
      email: input.email,
      passwordHash: await hashPassword(input.password),
      displayName: input.displayName,
    });
    if (!user) throw new HttpProblem(409, 'Conflict', 'an account with this email exists; log in instead');
    await startSession(req, res, user, 201);
  });

  router.post('/auth/login', async (req, res) => {
    const input = parseOr400(loginSchema, req.body);
    const emailKey = `email:${input.email}`;
    const [byEmail, byIp] = await Promise.all([
      db.countLoginAttempt(sql, emailKey, LOGIN_WINDOW_MS),
      db.countLoginAttempt(sql, `ip:${req.ip ?? 'unknown'}`, LOGIN_WINDOW_MS),
    ]);
    if (byEmail > loginMaxAttempts || byIp > loginMaxAttempts * 5) {
      res.set('Retry-After', String(LOGIN_WINDOW_MS / 1000));
      throw new HttpProblem(429, 'Too Many Requests', 'too many login attempts; wait 15 minutes and try again');
    }
    const user = await db.findUserForLogin(sql, input.email);
    if (!(await verifyPassword(user?.password_hash ?? null, input.password)) || !user) {
      throw new HttpProblem(401, 'Unauthorized', 'the email or the password is wrong');
    }
    await db.clearLoginAttempts(sql, emailKey);
    await startSession(req, res, user, 200);
  });

  router.post('/auth/logout', async (req, res) => {
    const secret = readCookie(req, SESSION_COOKIE);
    if (secret && req.user?.via === 'session') await db.deleteSession(sql, secret);
    clearSessionCookies(req, res);
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
    clearSessionCookies(req, res);
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
