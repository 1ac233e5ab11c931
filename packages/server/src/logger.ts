import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** JSON lines on stdout; secrets in headers never reach the log. */
export function createLogger(level: Config['logLevel']): Logger {
  return pino({
    level,
    base: { service: 'vr-tour' },
    redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]', '*.password'],
  });
}
