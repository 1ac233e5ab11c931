export { connect, createSql, type ConnectOptions, type Database, type Db, type Sql } from './connect.js';
export { migrate, MIGRATIONS_DIR } from './migrate.js';
export { startEmbeddedPostgres, freePort, type EmbeddedServer, type EmbeddedPostgresOptions } from './embedded.js';
