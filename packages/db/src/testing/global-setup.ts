import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { createSql } from '../connect.js';
import { startEmbeddedPostgres, type EmbeddedServer } from '../embedded.js';
import { migrate } from '../migrate.js';
import { TEMPLATE_DATABASE } from '../testing.js';

/**
 * Vitest global setup: one PostgreSQL server for the whole run (the embedded
 * one, or the server behind DATABASE_URL), with a migrated template database
 * that each test file clones.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: EmbeddedServer | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-test-pg-'));
    // A throwaway cluster: durability settings off make the suite several times faster.
    server = await startEmbeddedPostgres({
      dataDir,
      settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off', max_connections: '400' },
    });
    adminUrl = server.url;
  }
  const admin = createSql(adminUrl, { max: 1 });
  await admin.unsafe(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await admin.unsafe(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  await admin.end();
  const template = createSql(withDatabase(adminUrl, TEMPLATE_DATABASE), { max: 1 });
  await migrate(template);
  await template.end();
  project.provide('databaseAdminUrl', adminUrl);
  return async () => {
    await server?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
