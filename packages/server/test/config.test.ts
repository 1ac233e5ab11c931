import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('defaults every setting', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', databaseUrl: undefined, logLevel: 'info', demo: true });
    expect(config.dataDir).toMatch(/\/data$/);
    expect(config.publicUrl).toBeUndefined();
  });

  it('reads the environment and trims a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db.internal:5432/tours',
      DATA_DIR: '/var/lib/vr-tour',
      PUBLIC_URL: 'https://tours.example.com/',
      LOG_LEVEL: 'debug',
    });
    expect(config).toMatchObject({
      port: 9000,
      host: '0.0.0.0',
      databaseUrl: 'postgres://u:p@db.internal:5432/tours',
      dataDir: '/var/lib/vr-tour',
      publicUrl: 'https://tours.example.com',
      logLevel: 'debug',
    });
  });

  it('names every bad variable at once', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', PUBLIC_URL: 'tours.example.com', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT="eighty"', 'DATABASE_URL="mysql://x"', 'PUBLIC_URL="tours.example.com"', 'LOG_LEVEL="loud"']) {
      expect(problems).toContain(name);
    }
  });
});
