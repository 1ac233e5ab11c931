import { describe, expect, it } from 'vitest';
import { addressMatcher, metricsEndpoint, notFoundHandler, type MetricsAccess } from '../src/index.js';
import { serve } from './support.js';

const TOKEN = 'a-long-enough-scrape-token';
const nobody = addressMatcher([]);

async function metricsServer(access: MetricsAccess, trusted: string[] = ['loopback']) {
  const metrics = metricsEndpoint({ render: () => 'up 1\n', access, trustProxy: addressMatcher(trusted) });
  const { url } = await serve((req, res) => metrics(req, res, () => notFoundHandler(req, res)));
  return async (headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/metrics`, { headers });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  };
}

describe('/metrics', () => {
  it('is a 404, like any unknown path, when no token or address is configured', async () => {
    const scrape = await metricsServer({ token: undefined, addresses: nobody });
    const refused = await scrape({ authorization: `Bearer ${TOKEN}` });
    expect(refused.status).toBe(404);
    expect(refused.type).toBe('application/problem+json; charset=utf-8');
    expect(JSON.parse(refused.body)).toEqual({ type: 'about:blank', title: 'Not Found', status: 404, detail: 'no route for GET /metrics', instance: '/metrics' });
  });

  it('answers the configured bearer token only', async () => {
    const scrape = await metricsServer({ token: TOKEN, addresses: nobody });
    expect(await scrape({ authorization: `Bearer ${TOKEN}` })).toEqual({ status: 200, type: 'text/plain; version=0.0.4; charset=utf-8', body: 'up 1\n' });
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, `Basic ${TOKEN}`, 'Bearer ']) {
      expect((await scrape({ authorization })).status).toBe(404);
    }
    expect((await scrape()).status).toBe(404);
  });

  it('answers configured addresses and CIDRs, as the client address is after trusted proxies', async () => {
    // The test's requests come from loopback, a trusted proxy: X-Forwarded-For names the client.
    const scrape = await metricsServer({ token: undefined, addresses: addressMatcher(['10.1.0.0/16', '2001:db8::7']) });
    expect((await scrape({ 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
    expect((await scrape({ 'x-forwarded-for': '2001:db8::7' })).status).toBe(200);
    expect((await scrape({ 'x-forwarded-for': '10.2.0.1' })).status).toBe(404);
    // Loopback itself is not listed.
    expect((await scrape()).status).toBe(404);
    // From an untrusted peer, X-Forwarded-For is not believed: the peer (loopback) is the client.
    const untrusting = await metricsServer({ token: undefined, addresses: addressMatcher(['10.1.0.0/16']) }, []);
    expect((await untrusting({ 'x-forwarded-for': '10.1.2.3' })).status).toBe(404);
    const loopback = await metricsServer({ token: undefined, addresses: addressMatcher(['loopback']) }, []);
    expect((await loopback({ 'x-forwarded-for': '10.1.2.3' })).status).toBe(200);
  });
});
