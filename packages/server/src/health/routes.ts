import { Router } from 'express';
import type { Sql } from '@vr-tour/db';

export interface HealthState {
  /** Set once shutdown begins, so load balancers stop sending traffic. */
  draining: boolean;
}

/** `/healthz`: the process answers. `/readyz`: it can serve (database reachable, not draining). */
export function healthRoutes(sql: Sql, state: HealthState): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });
  router.get('/readyz', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (state.draining) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    try {
      await sql`SELECT 1`;
      res.json({ status: 'ready' });
    } catch (error) {
      req.log.warn({ err: error }, 'readiness check failed');
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  return router;
}
