import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSql, migrate } from '@vr-tour/db';
import {
  configOrExit,
  createHttpServer,
  createLogger,
  healthEndpoints,
  listen,
  metricsEndpoint,
  notFoundHandler,
} from '@vr-tour/node-kit';
import { loadConfig } from './config.js';
import { createCollector } from './index.js';

// The collector as its own process:
//   DATABASE_URL=postgres://… PORT=8787 node --import tsx packages/collector/src/main.ts
// Serves POST /collect, GET /metrics, /healthz, /readyz; drains its queue on SIGTERM.
// Its settings come from the environment (src/config.ts; the README lists them).

const config = configOrExit('vr-tour collector', () => loadConfig());
const logger = createLogger('vr-tour-collector', config.logLevel);

const sql = createSql(config.databaseUrl, { max: config.dbPool });
if (config.migrate) {
  const applied = await migrate(sql);
  for (const name of applied) logger.info({ migration: name }, 'migration applied');
}

const collector = createCollector({
  sql,
  logger,
  rateLimit: config.rateLimit,
  queue: { maxEvents: config.queueMaxEvents },
  trustProxy: config.trustProxy,
});

let draining = false;
const health = healthEndpoints({ draining: () => draining, unready: () => (collector.healthy() ? undefined : 'database unavailable') });
const metrics = metricsEndpoint({ render: collector.metrics, access: config.metrics, trustProxy: config.trustProxy });

// Plain Node routing, no framework: beacons are nearly every request this
// process serves. /collect and what is under it go to the collector's
// handler as a mount would give them (url relative to /collect,
// originalUrl whole); it answers POST and OPTIONS, the rest is a 404.
const COLLECT = '/collect';

function isCollect(url: string): boolean {
  if (!url.startsWith(COLLECT)) return false;
  const next = url.charAt(COLLECT.length);
  return next === '' || next === '?' || next === '/';
}

function route(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void {
  // While draining, every answer closes its connection so clients move on to another instance.
  if (draining) res.setHeader('Connection', 'close');
  const url = req.url ?? '/';
  if (isCollect(url)) {
    const rest = url.slice(COLLECT.length);
    req.originalUrl = url;
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    collector.handler(req, res, () => {
      req.url = url;
      notFoundHandler(req, res);
    });
    return;
  }
  health(req, res, () => metrics(req, res, () => notFoundHandler(req, res)));
}

const server = await listen(createHttpServer(route, config.timeouts), config.port, config.host);
logger.info({ port: (server.address() as AddressInfo).port }, 'collector listening');

async function shutdown(signal: string): Promise<void> {
  if (draining) return;
  draining = true;
  logger.info({ signal }, 'draining: committing queued events');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  // Everything queued is committed (and answered) before the database pool closes.
  await collector.close();
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), 5_000);
  await closed;
  clearTimeout(timer);
  await sql.end({ timeout: 5 });
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
