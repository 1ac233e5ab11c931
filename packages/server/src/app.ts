import express, { type Express, type RequestHandler, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import { randomUUID } from 'node:crypto';
import type { Sql } from '@vr-tour/db';
import { metricsEndpoint } from '@vr-tour/node-kit';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { healthRoutes, type HealthState } from './health/routes.js';
import { notFoundHandler, problemHandler } from './http/problem.js';
import { serveImmutable } from './http/static.js';
import { publicRoutes } from './public/routes.js';
import { siteRoutes, type SiteAssets } from './site/routes.js';
import { authenticate } from './auth/middleware.js';
import { editorApi } from './editor-api.js';
import { openApiRoutes } from './openapi/routes.js';
import { createDomainChecks } from './custom-domains/checks.js';
import { hostRouter } from './custom-domains/host-router.js';
import { customDomainRoutes } from './custom-domains/routes.js';
import { embedRoutes } from './embeds/routes.js';
import { LocalStorage } from './storage/local.js';

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
  /** Prometheus text for GET /metrics (the collector's counters), when present; served to config.metrics only. */
  metrics?: () => string;
}

/** Builds the Express app; listening is the caller's business (main.ts, tests). */
export function createApp(deps: AppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // TRUST_PROXY: whose X-Forwarded-For/-Proto/-Host decide req.ip, req.secure and req.hostname.
  app.set('trust proxy', deps.config.trustProxy);
  app.set('query parser', 'simple');

  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req, res) => {
        const id = (req.headers['x-request-id'] as string | undefined)?.slice(0, 64) ?? randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      // Beacons are not logged: one line per analytics batch would be noise, and
      // would store every viewer's IP address, which the collector never keeps.
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || /^\/collect(?:[/?]|$)/.test(req.url ?? '') },
    }),
  );
  app.use((_req, res, next) => {
    res.set('X-Content-Type-Options', 'nosniff');
    next();
  });

  const collectorUrl = deps.collector ? '/collect' : null;
  const embeds = embedRoutes({ ...deps, storage: new LocalStorage(deps.mediaDir), collectorUrl });
  // Before every route: a custom domain's Host gets its tour page or a 404 page, never the platform's routes.
  app.use(hostRouter(deps.sql, deps.config.customDomains, embeds.pages));
  app.use(healthRoutes(deps.sql, deps.health, deps.logger));
  if (deps.collector) app.use('/collect', deps.collector);
  if (deps.metrics) {
    app.use(metricsEndpoint({ render: deps.metrics, access: deps.config.metrics, trustProxy: deps.config.trustProxy }));
  }
  app.use('/api/v1/public', publicRoutes({ sql: deps.sql, collectorUrl }));
  app.use(embeds.router);
  // Sets req.user (and checks CSRF) for every authenticated API router mounted below it.
  app.use(openApiRoutes());
  app.use('/api', authenticate(deps.sql));
  app.use('/api/v1', editorApi({ sql: deps.sql, config: deps.config, mediaDir: deps.mediaDir }));
  const domainSettings = deps.config.customDomains;
  app.use(
    '/api/v1/custom-domains',
    customDomainRoutes({ sql: deps.sql, settings: domainSettings, checks: createDomainChecks(deps.sql, domainSettings) }),
  );
  app.use('/media', serveImmutable(deps.mediaDir));
  if (deps.site) app.use(siteRoutes(deps.site));

  app.use(notFoundHandler);
  app.use(problemHandler(deps.logger));
  return app;
}
