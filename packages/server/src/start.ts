import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { connect } from '@vr-tour/db';
import { createCollector } from '@vr-tour/collector';
import { createHttpServer, listen } from '@vr-tour/node-kit';
import { createApp } from './app.js';
import { loadConfig, type Config } from './config.js';
import { createLogger, type Logger } from './logger.js';
import type { HealthState } from './health/routes.js';
import { builtSiteAssets } from './site/assets.js';
import { createDomainChecks, startDomainCheckLoop } from './custom-domains/checks.js';
import { startMediaWorker } from './media/worker.js';
import { AiJobWorker, type AiWorkerOptions } from './jobs/ai-worker.js';
import type { Analyzer } from './jobs/analysis/analyzer.js';
import { ThreadAnalyzer } from './jobs/analysis/thread-analyzer.js';
import { JobChanges } from './jobs/changes.js';
import { attachJobSockets, type JobSocketOptions } from './jobs/sockets.js';
import { LocalStorage } from './storage/local.js';
import { tourImporter, type TourImporter } from './tour-import/importer.js';

// How long in-flight requests (and the media job being processed) get to finish after SIGTERM.
const SHUTDOWN_GRACE_MS = 10_000;

/** What a seeding hook gets: the settings, the log, and a way to store tours. */
export interface SeedContext {
  config: Config;
  logger: Logger;
  tours: TourImporter;
}

export interface StartOptions {
  /** The settings, when the caller read them already (see `configOrExit`). */
  config?: Config;
  /** Where the settings are read from when `config` is not given (default `process.env`). */
  env?: NodeJS.ProcessEnv;
  /** Runs once the database is migrated, before the server listens (content to have on first start). */
  seed?: (context: SeedContext) => Promise<void>;
  /** What runs the AI jobs' inference (default: worker threads with the models the packages ship). */
  analyzer?: Analyzer;
  /** The AI jobs' runner and sockets, when not the defaults. */
  aiJobs?: AiWorkerOptions & { sockets?: JobSocketOptions };
}

export interface RunningServer {
  config: Config;
  /** Where people reach the server: PUBLIC_URL, else the address it listens on. */
  url: string;
  /**
   * Stops answering readiness, lets in-flight requests and the media job
   * being processed finish (within a grace period), commits the beacons still
   * queued, then closes the database (stopping an embedded one).
   */
  close(reason: string): Promise<void>;
}

/**
 * The whole server: its database (embedded without DATABASE_URL) and
 * migrations, the seeding hook, the app with the collector, and the
 * background work (uploads, custom-domain checks). Throws a ConfigError
 * naming every bad setting before anything starts.
 */
export async function startServer(options: StartOptions = {}): Promise<RunningServer> {
  const config = options.config ?? loadConfig(options.env);
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
  const storage = new LocalStorage(mediaDir);
  await options.seed?.({ config, logger, tours: tourImporter(db.sql, storage) });

  // AI jobs' changes, heard from every process; listening before the server is, so no socket misses one.
  const jobChanges = new JobChanges(db.sql, logger.child({ component: 'ai-jobs' }));
  await jobChanges.start();

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
  logger.info({ port, host: config.host, ms: Math.round(performance.now() - startedAt) }, 'listening');
  // Custom domains' DNS re-checks and certificate checks, in the background.
  const stopDomainChecks = startDomainCheckLoop(createDomainChecks(db.sql, config.customDomains), logger);
  // Uploads waiting in the database (also those another process left) are processed here, one at a time.
  const mediaWorker = startMediaWorker(db.sql, storage, config, logger.child({ component: 'media' }));
  // AI jobs: followed at /ws/jobs/{id} on this server, run here one at a time.
  const { sockets: socketOptions, ...aiJobOptions } = options.aiJobs ?? {};
  const jobSockets = attachJobSockets(server, { sql: db.sql, changes: jobChanges, publicUrl: config.publicUrl, logger }, socketOptions);
  const analyzer = options.analyzer ?? new ThreadAnalyzer();
  const aiWorker = new AiJobWorker(db.sql, storage, jobChanges, analyzer, { logger: logger.child({ component: 'ai-jobs' }), ...aiJobOptions }).start();

  let closing: Promise<void> | undefined;
  async function shutdown(reason: string): Promise<void> {
    health.draining = true;
    logger.info({ signal: reason }, 'shutting down: finishing in-flight requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    const timer = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    // Claims nothing more; a job that cannot finish in the grace goes back to the queue for another process.
    const mediaStopped = mediaWorker.stop(SHUTDOWN_GRACE_MS);
    const aiStopped = aiWorker.stop(SHUTDOWN_GRACE_MS);
    jobSockets.close();
    await closed;
    clearTimeout(timer);
    await mediaStopped;
    await aiStopped;
    await analyzer.close();
    await jobChanges.stop();
    await stopDomainChecks();
    // Commits the beacon events still queued before the database goes away.
    await collector.close();
    await db.close();
    logger.info('stopped');
  }

  return {
    config,
    url: config.publicUrl ?? `http://${shownHost}:${port}`,
    close: (reason) => (closing ??= shutdown(reason)),
  };
}
