import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendHalfABody } from '@vr-tour/testing/slow-client';
import { createHttpServer, listen } from '../src/index.js';

// Small timeouts, so the test is short; the bounds it checks against are generous.
const server = createHttpServer(
  (req, res) => {
    // Reads the whole body before answering, as every handler that parses one does.
    req.resume();
    req.on('end', () => res.end('ok'));
  },
  { headersMs: 300, requestMs: 600, idleMs: 1_000, keepAliveMs: 300 },
);
let url: string;
beforeAll(async () => {
  await listen(server, 0, '127.0.0.1');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/upload`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('createHttpServer', () => {
  it('closes a request that declares a body and stops sending it, with a 408', async () => {
    const { answer } = await sendHalfABody(url, { declaredBytes: 1000, body: '{"v":1,', giveUpMs: 10_000 });
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('still answers a request that arrives whole', async () => {
    const res = await fetch(url, { method: 'POST', body: 'x'.repeat(1000) });
    expect(await res.text()).toBe('ok');
  });
});
