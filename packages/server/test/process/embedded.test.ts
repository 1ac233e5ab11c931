import { existsSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnServer } from '../support/spawn-server.js';

const dataDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-embedded-'));
// Like a checkout in an ordinary folder (mkdtemp makes private ones).
await chmod(dataDir, 0o755);
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('the server on its embedded PostgreSQL (no DATABASE_URL)', () => {
  const env = { DATABASE_URL: '', DATA_DIR: dataDir, DEMO: 'off' };
  const pidFile = path.join(dataDir, 'postgres', 'cluster', 'postmaster.pid');

  it('creates the cluster in DATA_DIR and answers readiness', async () => {
    const server = await spawnServer(env);
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready' });
    expect(existsSync(path.join(dataDir, 'postgres', 'cluster', 'PG_VERSION'))).toBe(true);
    expect(server.output()).toContain('embedded PostgreSQL started');
    // A crash leaves PostgreSQL running, holding the folder.
    server.child.kill('SIGKILL');
    await server.exited;
    expect(existsSync(pidFile)).toBe(true);
  });

  it('starts again after a crash, then stops its PostgreSQL on SIGTERM', async () => {
    const server = await spawnServer(env);
    expect(server.output()).toContain('orphaned PostgreSQL');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  });
});
