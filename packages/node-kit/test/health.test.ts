import { describe, expect, it } from 'vitest';
import { healthEndpoints, notFoundHandler } from '../src/index.js';
import { serve } from './support.js';

describe('/healthz and /readyz', () => {
  it('answers liveness always, readiness only when not draining and nothing is wrong', async () => {
    const state = { draining: false, unready: undefined as string | undefined };
    const health = healthEndpoints({ draining: () => state.draining, unready: async () => state.unready });
    const running = await serve((req, res) => health(req, res, () => notFoundHandler(req, res)));
    const get = async (path: string) => {
      const res = await fetch(`${running.url}${path}`);
      expect(res.headers.get('cache-control') ?? 'no-store').toBe('no-store');
      return { status: res.status, body: await res.json() };
    };

    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } });
    state.unready = 'database unavailable';
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'database unavailable' } });
    state.draining = true;
    expect(await get('/readyz')).toEqual({ status: 503, body: { status: 'draining' } });
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } });
    expect((await get('/other')).status).toBe(404);
  });
});
