export {
  ConfigError,
  LOG_LEVELS,
  configOrExit,
  integerVariable,
  logLevelVariable,
  optionalPostgresUrlVariable,
  parseEnvironment,
  portVariable,
  postgresUrlVariable,
  variable,
  type LogLevel,
} from './env.js';
export { healthEndpoints, type HealthChecks, type NodeHandler } from './health.js';
export { createHttpServer, listen, type ServerTimeouts } from './http-server.js';
export { createLogger, type Logger } from './logger.js';
export { metricsEndpoint, type MetricsAccess } from './metrics.js';
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
export { addressListVariable, addressMatcher, clientAddress, type AddressMatcher } from './proxies.js';
export { httpEnvironment, readHttpSettings, type HttpSettings } from './settings.js';
