import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createSql, type Sql } from './connect.js';

/** The migrated database that test databases are cloned from (made by the global setup). */
export const TEMPLATE_DATABASE = 'vr_tour_template';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseAdminUrl: string;
  }
}

export interface TestDatabase {
  readonly sql: Sql;
  readonly url: string;
  readonly name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** The run's PostgreSQL server, as its superuser. */
export function adminUrl(): string {
  return inject('databaseAdminUrl');
}

export function databaseUrl(database: string): string {
  const url = new URL(adminUrl());
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A database of its own for one test file: a clone of the migrated template,
 * or (with `migrated: false`) an empty one.
 */
export async function createTestDatabase(options: { migrated?: boolean; max?: number } = {}): Promise<TestDatabase> {
  const name = `test_${randomBytes(6).toString('hex')}`;
  const admin = createSql(adminUrl(), { max: 1 });
  try {
    const template = options.migrated === false ? 'template0' : TEMPLATE_DATABASE;
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const sql = createSql(url, { max: options.max ?? 5 });
  return {
    sql,
    url,
    name,
    async drop() {
      await sql.end({ timeout: 5 });
      const cleanup = createSql(adminUrl(), { max: 1 });
      await cleanup.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
