import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createSql, migrate } from '@vr-tour/db';
import { createCollector, parseBucket, DEFAULT_RATE_LIMITS, type RateLimitOptions } from './index.js';

// The collector as its own process:
//   DATABASE_URL=postgres://… PORT=8787 node --import tsx packages/collector/src/main.ts
// Serves POST /collect, GET /metrics, /healthz, /readyz; drains its queue on SIGTERM.
// Optional: HOST (default 0.0.0.0), TRUST_PROXY (Express `trust proxy`, default "loopback"),
// RATE_LIMIT_IP / RATE_LIMIT_TOUR ("events-per-second/burst") or RATE_LIMIT=off,
// QUEUE_MAX_EVENTS, DB_POOL (default 10), MIGRATE=1 (apply migrations first).

function fail(message: string): never {
  console.error(`vr-tour collector: ${message}`);
  process.exit(2);
}

const log = (level: string, obj: object, msg?: string) => {
  const entry: Record<string, unknown> = { level, time: new Date().toISOString(), service: 'vr-tour-collector', msg };
  for (const [key, value] of Object.entries(obj)) entry[key] = value instanceof Error ? { message: value.message, code: (value as { code?: string }).code } : value;
  process.stdout.write(`${JSON.stringify(entry)}\n`);
};
const logger = {
  info: (obj: object, msg?: string) => log('info', obj, msg),
  warn: (obj: object, msg?: string) => log('warn', obj, msg),
  error: (obj: object, msg?: string) => log('error', obj, msg),
};

const url = process.env.DATABASE_URL;
if (!url) fail('DATABASE_URL is not set: it names the PostgreSQL database to write to');
const port = Number(process.env.PORT ?? 8787);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`PORT must be a port number, got ${process.env.PORT}`);

let rateLimit: RateLimitOptions | false;
try {
  rateLimit =
    process.env.RATE_LIMIT === 'off'
      ? false
      : {
          perIp: process.env.RATE_LIMIT_IP ? parseBucket(process.env.RATE_LIMIT_IP) : DEFAULT_RATE_LIMITS.perIp,
          perTour: process.env.RATE_LIMIT_TOUR ? parseBucket(process.env.RATE_LIMIT_TOUR) : DEFAULT_RATE_LIMITS.perTour,
        };
} catch (error) {
  fail(`RATE_LIMIT_IP/RATE_LIMIT_TOUR: ${(error as Error).message}`);
}

const sql = createSql(url, { max: Number(process.env.DB_POOL ?? 10) });
if (process.env.MIGRATE === '1') {
  const applied = await migrate(sql);
  for (const name of applied) logger.info({ migration: name }, 'migration applied');
}

const collector = createCollector({
  sql,
  logger,
  rateLimit,
  ...(process.env.QUEUE_MAX_EVENTS ? { queue: { maxEvents: Number(process.env.QUEUE_MAX_EVENTS) } } : {}),
});

const app = express();
app.disable('x-powered-by');
app.set('etag', false);
const trustProxy = process.env.TRUST_PROXY ?? 'loopback';
app.set('trust proxy', trustProxy === 'true' ? true : trustProxy === 'false' ? false : /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
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
app.get('/healthz', (_req, res) => {
  res.set('Cache-Control', 'no-store').json({ status: 'ok' });
});
app.get('/readyz', (_req, res) => {
  res.set('Cache-Control', 'no-store');
  if (draining) res.status(503).json({ status: 'draining' });
  else if (!collector.healthy()) res.status(503).json({ status: 'database unavailable' });
  else res.json({ status: 'ready' });
});
app.use((req, res) => {
  res.status(404).type('application/problem+json').send(
    JSON.stringify({ type: 'about:blank', title: 'Not Found', status: 404, detail: `no route for ${req.method} ${req.path}` }),
  );
});

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
server.listen(port, process.env.HOST ?? '0.0.0.0');
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
  logger.info({}, 'stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
