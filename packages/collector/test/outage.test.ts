import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql, freePort, migrate, startEmbeddedPostgres, type EmbeddedServer, type Sql } from '@vr-tour/db';
import { fireLoad, insertTours, scrape, sleep, spawnCollector, storedIds, type ChildCollector, type LoadStats } from './support.js';

// A PostgreSQL of its own, so it can be stopped and started again on the same port.
let dataDir: string;
let port: number;
let pg: EmbeddedServer | undefined;
let url: string;
const settings = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-collector-outage-'));
  port = await freePort();
  pg = await startEmbeddedPostgres({ dataDir, port, settings });
  url = pg.url;
  const sql = createSql(url, { max: 1 });
  await migrate(sql);
  await sql.end();
});
afterAll(async () => {
  await pg?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('PostgreSQL stopped and restarted under load', () => {
  it('answers 503 while it is down, recovers by itself, and loses no acknowledged event', async () => {
    let sql: Sql = createSql(url, { max: 2 });
    const tours = await insertTours(sql, 10);
    await sql.end();
    const collector: ChildCollector = await spawnCollector({ DATABASE_URL: url });
    let stop = false;
    const stats: LoadStats = { acked: [], statuses: new Map(), timeline: [] };
    const load = fireLoad({ url: () => collector.url, tours, concurrency: 16, perBatch: 10, stop: () => stop, stats });
    try {
      await sleep(1000);
      const ackedBeforeStop = stats.acked.length;
      await pg!.stop();
      pg = undefined;
      const stoppedAt = Date.now();
      await sleep(1500);
      // Sent once PostgreSQL had stopped and answered before it starts again: nothing can be stored.
      const restarting = Date.now();
      const down = stats.timeline.filter((entry) => entry.sentAt > stoppedAt && entry.at < restarting);
      pg = await startEmbeddedPostgres({ dataDir, port, settings });
      const restartedAt = Date.now();
      // The same collector process comes back: wait for 200s after the restart.
      for (let i = 0; i < 200 && !stats.timeline.some((e) => e.at > restartedAt && e.status === 200); i += 1) await sleep(100);
      await sleep(500);
      stop = true;
      await load;

      if (!stats.timeline.some((e) => e.at > restartedAt && e.status === 200)) {
        console.log(collector.output().slice(-8000), [...stats.statuses], stats.timeline.slice(-20), restartedAt);
      }
      expect(ackedBeforeStop).toBeGreaterThan(0);
      expect(down.length).toBeGreaterThan(0);
      expect(down.every((entry) => entry.status === 503)).toBe(true);
      expect(stats.timeline.some((e) => e.at > restartedAt && e.status === 200)).toBe(true);
      expect([...stats.statuses.keys()].filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expect(collector.child.exitCode).toBe(null);

      sql = createSql(url, { max: 2 });
      const stored = await storedIds(sql, stats.acked);
      expect(stats.acked.filter((id) => !stored.has(id))).toEqual([]);
      const text = await scrape(collector.base);
      expect(Number(/^collector_events_deferred_total\{reason="db_unavailable"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThan(0);
      expect(text).toMatch(/^collector_database_up 1$/m);
      await sql.end();
    } finally {
      stop = true;
      await load.catch(() => {});
      collector.child.kill('SIGTERM');
      await collector.exited;
    }
  });
});
