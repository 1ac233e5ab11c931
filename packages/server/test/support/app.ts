import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Sql } from '@vr-tour/db';
import { createApp, type AppDependencies } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startMediaWorker, type MediaWorker } from '../../src/media/worker.js';
import { LocalStorage } from '../../src/storage/local.js';

export interface RunningApp {
  url: string;
  server: Server;
  /** Processes this app's uploads, as in a server process. */
  mediaWorker: MediaWorker;
  close(): Promise<void>;
}

/** The real app on a loopback port, over a test database, with its media worker. */
export async function startTestApp(sql: Sql, overrides: Partial<AppDependencies> = {}): Promise<RunningApp> {
  const mediaDir = await mkdtemp(path.join(tmpdir(), 'vr-tour-media-'));
  const deps: AppDependencies = {
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    sql,
    logger: createLogger('silent'),
    health: { draining: false },
    mediaDir,
    ...overrides,
  };
  const app = createApp(deps);
  const mediaWorker = startMediaWorker(sql, new LocalStorage(deps.mediaDir), deps.config, deps.logger);
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    mediaWorker,
    close: async () => {
      await mediaWorker.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
