import { randomBytes } from 'node:crypto';
import express, { Router } from 'express';
import type { Sql } from '@vr-tour/db';
import { currentUser, requireUser } from '../auth/context.js';
import { inputGuard } from '../http/input-guard.js';
import { HttpProblem, notFound, parseOr400 } from '../http/problem.js';
import type { DomainChecks } from './checks.js';
import { canonicalHost, isPlatformHost } from './hosts.js';
import { createDomainSchema, domainIdSchema, domainJson, tlsAskSchema } from './schemas.js';
import { claimHeldHost } from './takeover.js';
import type { CustomDomainSettings } from './settings.js';
import { claimVerifyNow, deleteOwnDomain, findOwnDomain, insertDomain, isVerifiedHost, listDomains, ownsTour } from './sql.js';

export interface CustomDomainRoutesOptions {
  sql: Sql;
  settings: CustomDomainSettings;
  checks: DomainChecks;
}

const domainNotFound = () => notFound('no such custom domain');

/**
 * `/api/v1/custom-domains`: the TLS edge's question (anonymous) and the
 * owner's domains. Another creator's domain answers 404 exactly like a
 * missing one, so ids and hosts of others cannot be probed.
 */
export function customDomainRoutes({ sql, settings, checks }: CustomDomainRoutesOptions): Router {
  const router = Router();
  const json = (row: Parameters<typeof domainJson>[0]) => domainJson(row, settings.edgeHost);

  // Caddy's on_demand_tls `ask`: any 2xx lets it obtain or load a certificate for `domain`.
  // One indexed query and no external call: it sits in the path of TLS handshakes.
  // Unauthenticated, and asked by the TLS edge: guarded here too, whatever is mounted before it.
  router.get('/tls-ask', inputGuard(), async (req, res) => {
    const { domain } = parseOr400(tlsAskSchema, req.query, 'query');
    res.set('Cache-Control', 'no-store');
    if (!(await isVerifiedHost(sql, canonicalHost(domain)))) throw notFound('not a verified custom domain');
    res.type('text/plain').send('ok');
  });

  router.use(requireUser);
  // Harmless when the app already parsed the body: body-parser skips a parsed request.
  router.use(express.json({ limit: '16kb' }));

  router.get('/', async (req, res) => {
    const rows = await listDomains(sql, currentUser(req).id);
    res.json({ items: rows.map(json) });
  });

  router.post('/', async (req, res) => {
    const user = currentUser(req);
    const body = parseOr400(createDomainSchema, req.body);
    if (isPlatformHost(body.host, settings.platformHosts)) {
      throw new HttpProblem(400, 'Validation Failed', `host: ${body.host} belongs to the platform itself`, {
        errors: [{ path: 'host', message: 'belongs to the platform itself' }],
      });
    }
    if (!(await ownsTour(sql, user.id, body.tourId))) throw notFound('no such tour among yours');
    const claim = { userId: user.id, tourId: body.tourId, host: body.host, path: body.path };
    // 128 random bits: the proof of control over the zone cannot be guessed.
    const created = await insertDomain(sql, { ...claim, token: randomBytes(16).toString('hex') });
    if (created) return void res.status(201).location(`${req.baseUrl}/${created.id}`).json(json(created));
    // Held by another row: the claimant's records in the zone move it (verified at once), else a 409 naming them.
    const moved = await claimHeldHost(sql, checks, settings.edgeHost, claim);
    const outcome = await checks.verify(moved, { restart: true });
    res.status(201).location(`${req.baseUrl}/${moved.id}`).json(json(outcome?.row ?? moved));
  });

  router.get('/:id', async (req, res) => {
    const { id } = parseOr400(domainIdSchema, req.params, 'path');
    const row = await findOwnDomain(sql, currentUser(req).id, id);
    if (!row) throw domainNotFound();
    res.json(json(row));
  });

  // "Check now": also restarts the backoff schedule, since the creator has probably just changed DNS.
  // At most one per domain per cooldown: each is a round of DNS lookups that anyone signed in could repeat.
  router.post('/:id/verify', async (req, res) => {
    const { id } = parseOr400(domainIdSchema, req.params, 'path');
    const claim = await claimVerifyNow(sql, currentUser(req).id, id, settings.verifyCooldownMs);
    if (!claim) throw domainNotFound();
    if ('retryAfterSeconds' in claim) {
      res.set('Retry-After', String(claim.retryAfterSeconds));
      throw new HttpProblem(429, 'Too Many Requests', `this domain was checked moments ago; try again in ${claim.retryAfterSeconds} s`);
    }
    const outcome = await checks.verify(claim.row, { restart: true });
    if (!outcome) throw domainNotFound();
    res.json({ ...json(outcome.row), check: outcome.check });
  });

  // The host router and tls-ask read the table on every request, so a deleted host stops being served at once.
  router.delete('/:id', async (req, res) => {
    const { id } = parseOr400(domainIdSchema, req.params, 'path');
    if (!(await deleteOwnDomain(sql, currentUser(req).id, id))) throw domainNotFound();
    res.status(204).end();
  });

  return router;
}
