import { describe, expect, it } from 'vitest';
import { ConfigError } from '@vr-tour/node-kit';
import { loadConfig } from '../src/config.js';

const DATABASE_URL = 'postgres://u:p@db.internal:5432/tours';

function problemsOf(env: NodeJS.ProcessEnv): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join('\n');
  }
  throw new Error('expected a ConfigError');
}

describe('the standalone collector’s settings', () => {
  it('defaults every setting but the database', () => {
    const config = loadConfig({ DATABASE_URL });
    expect(config).toMatchObject({
      databaseUrl: DATABASE_URL,
      port: 8787,
      host: '0.0.0.0',
      logLevel: 'info',
      rateLimit: { perIp: { ratePerSecond: 50, burst: 500 }, perTour: { ratePerSecond: 5000, burst: 20_000 } },
      queueMaxEvents: 20_000,
      dbPool: 10,
      migrate: false,
      metrics: { token: undefined },
      // A beacon batch is small: the whole request has 10 s.
      timeouts: { headersMs: 10_000, requestMs: 10_000, idleMs: 15_000, keepAliveMs: 5_000 },
    });
    // Proxies on loopback are believed; /metrics is for nobody until configured.
    expect([config.trustProxy('127.0.0.1', 0), config.trustProxy('203.0.113.1', 0)]).toEqual([true, false]);
    expect(config.metrics.addresses('127.0.0.1', 0)).toBe(false);
  });

  it('reads the environment', () => {
    const config = loadConfig({
      DATABASE_URL,
      PORT: '9000',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_IP: '2.5/10',
      RATE_LIMIT_TOUR: ' 100 / 1000 ',
      QUEUE_MAX_EVENTS: '50000',
      DB_POOL: '4',
      MIGRATE: '1',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '127.0.0.1',
      logLevel: 'warn',
      rateLimit: { perIp: { ratePerSecond: 2.5, burst: 10 }, perTour: { ratePerSecond: 100, burst: 1000 } },
      queueMaxEvents: 50_000,
      dbPool: 4,
      migrate: true,
    });
    expect(loadConfig({ DATABASE_URL, RATE_LIMIT: 'off' }).rateLimit).toBe(false);
  });

  it('requires DATABASE_URL, saying what it is for', () => {
    expect(problemsOf({})).toMatch(/^DATABASE_URL="": must be set: the postgres:\/\/ URL/m);
    expect(problemsOf({ DATABASE_URL: 'mysql://x' })).toContain('DATABASE_URL="mysql://x": must be a postgres:// URL');
  });

  it('names every bad variable at once, with its value and what was wrong', () => {
    const bad = [
      ['PORT', 'eighty', 'must be a whole number'],
      ['LOG_LEVEL', 'loud', 'Invalid option'],
      ['RATE_LIMIT', 'maybe', 'Invalid option'],
      ['RATE_LIMIT_IP', 'fast', 'must be RATE/BURST'],
      ['RATE_LIMIT_TOUR', '0/100', 'needs a rate above 0'],
      ['QUEUE_MAX_EVENTS', '-5', 'must be at least 1'],
      ['DB_POOL', 'ten', 'must be a whole number'],
      ['MIGRATE', 'yes', 'Invalid option'],
    ];
    const problems = problemsOf({ DATABASE_URL, ...Object.fromEntries(bad.map(([name, value]) => [name, value])) });
    for (const [name, value, message] of bad) expect(problems).toContain(`${name}=${JSON.stringify(value)}: ${message}`);
  });
});
