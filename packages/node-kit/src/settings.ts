import { z } from 'zod';
import { ConfigError, logLevelVariable, portVariable, variable, type LogLevel } from './env.js';
import { timeoutEnvironment, type ServerTimeouts } from './http-server.js';
import { metricsEnvironment, readMetricsAccess, type MetricsAccess } from './metrics.js';
import { addressListVariable, type AddressMatcher } from './proxies.js';

/** The variables every HTTP process of the project reads; spread into its own schema. */
export function httpEnvironment(defaults: { port: number; host: string; requestTimeoutMs: number }) {
  return {
    PORT: portVariable(defaults.port),
    HOST: variable(z.string().min(1).default(defaults.host)),
    LOG_LEVEL: logLevelVariable(),
    /** The proxies whose X-Forwarded-For (and -Proto, -Host) are believed. */
    TRUST_PROXY: addressListVariable('loopback'),
    ...metricsEnvironment,
    ...timeoutEnvironment({ requestMs: defaults.requestTimeoutMs }),
  };
}

export interface HttpSettings {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** Express's `trust proxy`, and what `clientAddress` believes. */
  trustProxy: AddressMatcher;
  metrics: MetricsAccess;
  timeouts: ServerTimeouts;
}

type HttpValues = z.output<z.ZodObject<ReturnType<typeof httpEnvironment>>>;

/** The parsed variables as settings; throws a ConfigError when the headers may take longer than the whole request. */
export function readHttpSettings(values: HttpValues): HttpSettings {
  if (values.HTTP_HEADERS_TIMEOUT_MS > values.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError([
      `HTTP_HEADERS_TIMEOUT_MS="${values.HTTP_HEADERS_TIMEOUT_MS}": must not exceed HTTP_REQUEST_TIMEOUT_MS (${values.HTTP_REQUEST_TIMEOUT_MS})`,
    ]);
  }
  return {
    port: values.PORT,
    host: values.HOST,
    logLevel: values.LOG_LEVEL,
    trustProxy: values.TRUST_PROXY,
    metrics: readMetricsAccess(values),
    timeouts: {
      headersMs: values.HTTP_HEADERS_TIMEOUT_MS,
      requestMs: values.HTTP_REQUEST_TIMEOUT_MS,
      idleMs: values.HTTP_IDLE_TIMEOUT_MS,
      keepAliveMs: values.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
  };
}
