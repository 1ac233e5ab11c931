import { pino, type Logger } from 'pino';
import type { LogLevel } from './env.js';

export type { Logger };

/** JSON lines on stdout (pino), tagged with the service; secrets in headers never reach the log. */
export function createLogger(service: string, level: LogLevel): Logger {
  return pino({
    level,
    base: { service },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password'],
  });
}
