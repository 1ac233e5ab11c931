import path from 'node:path';
import { z } from 'zod';
import {
  httpEnvironment,
  integerVariable,
  optionalPostgresUrlVariable,
  parseEnvironment,
  readHttpSettings,
  variable,
  type HttpSettings,
} from '@vr-tour/node-kit';
import { customDomainEnvironment, readCustomDomainSettings, type CustomDomainSettings } from './custom-domains/settings.js';

export { ConfigError } from '@vr-tour/node-kit';

/** Every setting comes from the environment; the README lists them. */
const environmentSchema = z.object({
  // Requests may take 10 minutes: a 200 MB upload on a slow line.
  ...httpEnvironment({ port: 8080, host: '127.0.0.1', requestTimeoutMs: 600_000 }),
  DATABASE_URL: optionalPostgresUrlVariable(),
  DATA_DIR: variable(z.string().min(1).default('./data')),
  PUBLIC_URL: variable(
    z
      .string()
      .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'must be an http(s) URL')
      .optional(),
  ),
  /** Seed the demo tour on start (default on). */
  DEMO: variable(z.enum(['on', 'off']).default('on')),
  ...customDomainEnvironment,
  /** Failed logins per email from one network before its next tries wait (doubling from 1 min to 15); a network gets five times as many across emails. */
  LOGIN_MAX_ATTEMPTS: integerVariable(10, 1),
  /** Largest accepted upload, in bytes. */
  UPLOAD_MAX_BYTES: integerVariable(200 * 1024 * 1024, 1024),
  /** Largest accepted image, in pixels: a guard against decompression bombs (16384x8192 by default). */
  UPLOAD_MAX_PIXELS: integerVariable(16_384 * 8_192, 1),
  /** The modern format of panorama levels, beside the JPEG fallback. */
  PANORAMA_FORMAT: variable(z.enum(['webp', 'avif']).default('webp')),
});

/** Listening, logging, proxies, /metrics and timeouts, as the Node kit reads them, and the server's own settings. */
export interface Config extends HttpSettings {
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where people reach this server, without a trailing slash; unset means the listening address. */
  publicUrl: string | undefined;
  demo: boolean;
  /** DNS resolver, TLS edge and platform hosts of custom domains. */
  customDomains: CustomDomainSettings;
  loginMaxAttempts: number;
  upload: { maxBytes: number; maxPixels: number };
  panoramaFormat: 'webp' | 'avif';
}

/** Reads the configuration, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const values = parseEnvironment(environmentSchema, env);
  return {
    ...readHttpSettings(values),
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.DATA_DIR),
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    demo: values.DEMO === 'on',
    customDomains: readCustomDomainSettings(values, values.PUBLIC_URL),
    loginMaxAttempts: values.LOGIN_MAX_ATTEMPTS,
    upload: { maxBytes: values.UPLOAD_MAX_BYTES, maxPixels: values.UPLOAD_MAX_PIXELS },
    panoramaFormat: values.PANORAMA_FORMAT,
  };
}
