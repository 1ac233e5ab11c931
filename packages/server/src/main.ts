import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { connect } from '@vr-tour/db';
import { createCollector } from '@vr-tour/collector';
import { createApp } from './app.js';
import { configOrExit, createHttpServer, listen } from '@vr-tour/node-kit';
import { loadConfig } from './config.js';
import { createLogger } from './logger.js';
import type { HealthState } from './health/routes.js';
import { builtSiteAssets } from './site/assets.js';
import { seedDemoTour, DEMO_TOUR_ID } from './demo/seed.js';
import { createDomainChecks, startDomainCheckLoop } from './custom-domains/checks.js';
import { startMediaWorker } from './media/worker.js';
import { LocalStorage } from './storage/local.js';

// How long in-flight requests (and the media job being processed) get to finish after SIGTERM.
const SHUTDOWN_GRACE_MS = 10_000;

const config = configOrExit('vr-tour', () => loadConfig());
const logger = createLogger(config.logLevel);
const startedAt = performance.now();

const db = await connect({
  databaseUrl: config.databaseUrl,
  dataDir: path.join(config.dataDir, 'postgres'),
  log: (line) => logger.debug({ component: 'postgres' }, line),
  notice: (line) => logger.info({ component: 'db' }, line),
});
logger.info({ embedded: db.embedded }, db.embedded ? 'embedded PostgreSQL started' : 'connected to DATABASE_URL');

const mediaDir = path.join(config.dataDir, 'media');
if (config.demo) await seedDemoTour({ sql: db.sql, mediaDir, cacheDir: path.join(config.dataDir, 'demo-assets'), logger });

const health: HealthState = { draining: false };
const collector = createCollector({ sql: db.sql, logger: logger.child({ component: 'collector' }) });
const app = createApp({
  config,
  sql: db.sql,
  logger,
  health,
  mediaDir,
  site: builtSiteAssets(),
  collector: collector.handler,
  metrics: collector.metrics,
});
const server = await listen(createHttpServer(app, config.timeouts), config.port, config.host);
const { port } = server.address() as AddressInfo;
const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
const publicUrl = config.publicUrl ?? `http://${shownHost}:${port}`;
logger.info({ port, host: config.host, ms: Math.round(performance.now() - startedAt) }, 'listening');
// Custom domains' DNS re-checks and certificate checks, in the background.
const stopDomainChecks = startDomainCheckLoop(createDomainChecks(db.sql, config.customDomains), logger);
// Uploads waiting in the database (also those another process left) are processed here, one at a time.
const mediaWorker = startMediaWorker(db.sql, new LocalStorage(mediaDir), config, logger.child({ component: 'media' }));
if (config.demo) {
  console.log(`\n  vr-tour is running.\n  Demo page:  ${publicUrl}/\n  Tour JSON:  ${publicUrl}/api/v1/public/tours/${DEMO_TOUR_ID}\n`);
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  health.draining = true;
  logger.info({ signal }, 'shutting down: finishing in-flight requests');
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
  // Claims nothing more; a job that cannot finish in the grace goes back to the queue for another process.
  const mediaStopped = mediaWorker.stop(SHUTDOWN_GRACE_MS);
  await closed;
  clearTimeout(timer);
  await mediaStopped;
  await stopDomainChecks();
  // Commits the beacon events still queued before the database goes away.
  await collector.close();
  await db.close();
  logger.info('stopped');
  process.exit(0);
}
process.once('SIGTERM', () => void shutdown('SIGTERM'));
process.once('SIGINT', () => void shutdown('SIGINT'));
