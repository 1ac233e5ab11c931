import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSql, migrate } from '@vr-tour/db';
import { configOrExit, createLogger, healthEndpoints, notFoundHandler } from '@vr-tour/node-kit';
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

const collector = createCollector({ sql, logger, rateLimit: config.rateLimit, queue: { maxEvents: config.queueMaxEvents } });

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.set('trust proxy', config.trustProxy);
let draining = false;
app.use((_req, res, next) => {
  // While draining, every answer closes its connection so clients move on to another instance.
  if (draining) res.set('Connection', 'close');
  next();
});
app.use('/collect', collector.handler);
app.get('/metrics', (_req, res) => {
  res.type('text/plain; version=0.0.4').send(collector.metrics());
});
app.use(healthEndpoints({ draining: () => draining, unready: () => (collector.healthy() ? undefined : 'database unavailable') }));
app.use(notFoundHandler);

// Beacons, nearly every request this process serves, skip Express's routing
// (the collector's handler is plain Node): the request is given what the
// mount at /collect would give it, and Express's request prototype, so
// `req.ip` is Express's own, under this app's `trust proxy` setting.
// Everything else, OPTIONS /collect included, goes through the app.
const COLLECT = '/collect';
const server = createServer((req, res) => {
  const url = req.url ?? '/';
  if (req.method === 'POST' && (url === COLLECT || url.startsWith(`${COLLECT}?`))) {
    if (draining) res.setHeader('Connection', 'close');
    Object.setPrototypeOf(req, app.request);
    Object.assign(req, { originalUrl: url, url: `/${url.slice(COLLECT.length)}` });
    collector.handler(req, res);
    return;
  }
  app(req, res);
});
server.listen(config.port, config.host);
await once(server, 'listening');
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
