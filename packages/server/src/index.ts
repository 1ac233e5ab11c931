export { startServer, type RunningServer, type SeedContext, type StartOptions } from './start.js';
export { ConfigError, loadConfig, type Config } from './config.js';
export type { Logger } from './logger.js';
export type { PanoramaOriginal, TourImport, TourImporter } from './tour-import/importer.js';
