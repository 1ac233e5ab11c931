import { z } from 'zod';
import {
  httpEnvironment,
  integerVariable,
  parseEnvironment,
  postgresUrlVariable,
  readHttpSettings,
  variable,
  type HttpSettings,
} from '@vr-tour/node-kit';
import { DEFAULT_RATE_LIMITS, type BucketConfig, type RateLimitOptions } from './rate-limit.js';

/** "RATE/BURST": events per second, and the largest burst (e.g. "50/500"). */
const bucketVariable = (fallback: BucketConfig) =>
  variable(
    z
      .string()
      .regex(/^\s*\d+(\.\d+)?\s*\/\s*\d+\s*$/, 'must be RATE/BURST: events per second / largest burst, e.g. 50/500')
      .transform((text): BucketConfig => {
        const [rate, burst] = text.split('/').map(Number);
        return { ratePerSecond: rate!, burst: burst! };
      })
      .refine((bucket) => bucket.ratePerSecond > 0 && bucket.burst >= 1, 'needs a rate above 0 and a burst of at least 1')
      .default(fallback),
  );

/** The standalone collector's settings; the README lists them. */
const environmentSchema = z.object({
  DATABASE_URL: postgresUrlVariable('the postgres:// URL of the database to write to'),
  // A beacon batch is a few kilobytes: 10 seconds is plenty to send one.
  ...httpEnvironment({ port: 8787, host: '0.0.0.0', requestTimeoutMs: 10_000 }),
  RATE_LIMIT: variable(z.enum(['on', 'off']).default('on')),
  RATE_LIMIT_IP: bucketVariable(DEFAULT_RATE_LIMITS.perIp),
  RATE_LIMIT_TOUR: bucketVariable(DEFAULT_RATE_LIMITS.perTour),
  /** Events waiting for or in a write transaction at most; beyond, 503. */
  QUEUE_MAX_EVENTS: integerVariable(20_000, 1),
  /** Connections of the pool that applies migrations and that the writer's own pool copies its settings from. */
  DB_POOL: integerVariable(10, 1, 1000),
  /** 1: apply the migrations before serving. */
  MIGRATE: variable(z.enum(['0', '1']).default('0')),
});

/** Listening, logging, proxies, /metrics and timeouts, as the Node kit reads them, and the collector's own settings. */
export interface CollectorConfig extends HttpSettings {
  databaseUrl: string;
  rateLimit: RateLimitOptions | false;
  queueMaxEvents: number;
  dbPool: number;
  migrate: boolean;
}

/** Reads the standalone collector's settings, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): CollectorConfig {
  const values = parseEnvironment(environmentSchema, env);
  return {
    ...readHttpSettings(values),
    databaseUrl: values.DATABASE_URL,
    rateLimit: values.RATE_LIMIT === 'off' ? false : { perIp: values.RATE_LIMIT_IP, perTour: values.RATE_LIMIT_TOUR },
    queueMaxEvents: values.QUEUE_MAX_EVENTS,
    dbPool: values.DB_POOL,
    migrate: values.MIGRATE === '1',
  };
}
