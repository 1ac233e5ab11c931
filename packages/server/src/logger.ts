import { createLogger as createServiceLogger, type Logger, type LogLevel } from '@vr-tour/node-kit';

export type { Logger };

/** The server's log: JSON lines on stdout, secrets redacted (the kit's logger, as service `vr-tour`). */
export function createLogger(level: LogLevel): Logger {
  return createServiceLogger('vr-tour', level);
}
