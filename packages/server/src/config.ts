import path from 'node:path';
import { z } from 'zod';
import { customDomainEnvironment, readCustomDomainSettings, type CustomDomainSettings } from './custom-domains/settings.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const emptyToUndefined = (value: unknown) => (value === '' ? undefined : value);

/** Every setting comes from the environment; the README lists them. */
const environmentSchema = z.object({
  PORT: z.preprocess(emptyToUndefined, z.coerce.number().int().min(0).max(65_535).default(8080)),
  HOST: z.preprocess(emptyToUndefined, z.string().min(1).default('127.0.0.1')),
  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), 'must be a postgres:// URL')
      .optional(),
  ),
  DATA_DIR: z.preprocess(emptyToUndefined, z.string().min(1).default('./data')),
  PUBLIC_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine((value) => /^https?:\/\//.test(value) && URL.canParse(value), 'must be an http(s) URL')
      .optional(),
  ),
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(LOG_LEVELS).default('info')),
  /** Seed the demo tour on start (default on). */
  DEMO: z.preprocess(emptyToUndefined, z.enum(['on', 'off']).default('on')),
  ...customDomainEnvironment,
  /** Failed logins per email from one network before its next tries wait (doubling from 1 min to 15); a network gets five times as many across emails. */
  LOGIN_MAX_ATTEMPTS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(10)),
  /** Largest accepted upload, in bytes. */
  UPLOAD_MAX_BYTES: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1024).default(200 * 1024 * 1024)),
  /** Largest accepted image, in pixels: a guard against decompression bombs (16384x8192 by default). */
  UPLOAD_MAX_PIXELS: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).default(16_384 * 8_192)),
  /** The modern format of panorama levels, beside the JPEG fallback. */
  PANORAMA_FORMAT: z.preprocess(emptyToUndefined, z.enum(['webp', 'avif']).default('webp')),
});

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where people reach this server, without a trailing slash; unset means the listening address. */
  publicUrl: string | undefined;
  logLevel: (typeof LOG_LEVELS)[number];
  demo: boolean;
  /** DNS resolver, TLS edge and platform hosts of custom domains. */
  customDomains: CustomDomainSettings;
  loginMaxAttempts: number;
  upload: { maxBytes: number; maxPixels: number };
  panoramaFormat: 'webp' | 'avif';
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  ${problem}`).join('\n')}`);
  }
}

/** Reads the configuration, or throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        return `${name}=${JSON.stringify(env[name] ?? '')}: ${issue.message}`;
      }),
    );
  }
  const values = parsed.data;
  return {
    port: values.PORT,
    host: values.HOST,
    databaseUrl: values.DATABASE_URL,
    dataDir: path.resolve(values.DATA_DIR),
    publicUrl: values.PUBLIC_URL?.replace(/\/+$/, ''),
    logLevel: values.LOG_LEVEL,
    demo: values.DEMO === 'on',
    customDomains: readCustomDomainSettings(values, values.PUBLIC_URL),
    loginMaxAttempts: values.LOGIN_MAX_ATTEMPTS,
    upload: { maxBytes: values.UPLOAD_MAX_BYTES, maxPixels: values.UPLOAD_MAX_PIXELS },
    panoramaFormat: values.PANORAMA_FORMAT,
  };
}
