import express, { type Express, type RequestHandler, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Sql } from '@vr-tour/db';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { healthRoutes, type HealthState } from './health/routes.js';
import { notFoundHandler, problemHandler } from './http/problem.js';
import { serveImmutable } from './http/static.js';
import { publicRoutes } from './public/routes.js';
import { siteRoutes, type SiteAssets } from './site/routes.js';

export interface AppDependencies {
  config: Config;
  sql: Sql;
  logger: Logger;
  health: HealthState;
  /** Folder of content-addressed media files, served at /media. */
  mediaDir: string;
  /** Built viewer bundle and demo page; absent in API-only tests. */
  site?: SiteAssets;
  /** The beacon endpoint, mounted at /collect when present. */
  collector?: RequestHandler | Router;
}

/** Builds the Express app; listening is the caller's business (main.ts, tests). */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', 'loopback');
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.use(healthRoutes(deps.sql, deps.health));
  if (deps.collector) app.use('/collect', deps.collector);
  app.use('/api/v1/public', publicRoutes({ sql: deps.sql, collectorUrl: deps.collector ? '/collect' : null }));
  app.use('/media', serveImmutable(deps.mediaDir));
  if (deps.site) app.use(siteRoutes(deps.site));

  app.use(notFoundHandler);
  app.use(problemHandler);
  return app;
}
