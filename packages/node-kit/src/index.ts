export {
  ConfigError,
  LOG_LEVELS,
  configOrExit,
  httpEnvironment,
  integerVariable,
  logLevelVariable,
  optionalPostgresUrlVariable,
  parseEnvironment,
  portVariable,
  postgresUrlVariable,
  readHttpSettings,
  variable,
  type HttpSettings,
  type LogLevel,
} from './env.js';
export { healthEndpoints, type HealthChecks, type NodeHandler } from './health.js';
export { createLogger, type Logger } from './logger.js';
export {
  HttpProblem,
  badRequest,
  notFound,
  notFoundHandler,
  problemHandler,
  problemOf,
  sendBody,
  sendJson,
  sendProblem,
  statusTitle,
} from './problem.js';
