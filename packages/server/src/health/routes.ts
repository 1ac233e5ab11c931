import type { Sql } from '@vr-tour/db';
import { healthEndpoints, type Logger, type NodeHandler } from '@vr-tour/node-kit';

export interface HealthState {
  /** Set once shutdown begins, so load balancers stop sending traffic. */
  draining: boolean;
}

/** `/healthz`: the process answers. `/readyz`: it can serve (database reachable, not draining). */
export function healthRoutes(sql: Sql, state: HealthState, logger: Logger): NodeHandler {
  return healthEndpoints({
    draining: () => state.draining,
    async unready() {
      try {
        await sql`SELECT 1`;
        return undefined;
      } catch (error) {
        logger.warn({ err: error }, 'readiness check failed');
        return 'database unavailable';
      }
    },
  });
}
