import { readFileSync, readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtSiteAssets } from '../../src/site/assets.js';
import { siteRoutes } from '../../src/site/routes.js';

// The real viewer build (npm test builds it first), served by the site routes alone.
const assets = builtSiteAssets();
const renderer = readdirSync(path.join(assets.viewerDir, 'chunks')).find((name) => /^renderer-.*\.js$/.test(name))!;
let base: string;
let close: () => void;

beforeAll(async () => {
  const app = express();
  app.use(siteRoutes(assets));
  app.use((_req, res) => void res.status(404).end());
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close?.());

/** fetch without its own decompression: the raw bytes and headers the server sent. */
async function raw(urlPath: string, acceptEncoding?: string) {
  const { request } = await import('node:http');
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
    const req = request(`${base}${urlPath}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the viewer bundle', () => {
  for (const [label, urlPath, file, cache] of [
    ['the entry', '/vr-tour.js', 'vr-tour.js', 'max-age=300'],
    ['a hashed chunk', `/chunks/${renderer}`, `chunks/${renderer}`, 'immutable'],
  ] as const) {
    it(`sends ${label} compressed at build time, by Accept-Encoding`, async () => {
      const original = readFileSync(path.join(assets.viewerDir, file));
      const brotli = await raw(urlPath, 'gzip, deflate, br');
      expect(brotli.status).toBe(200);
      expect(brotli.headers['content-encoding']).toBe('br');
      expect(brotli.headers['content-type']).toMatch(/^text\/javascript/);
      expect(brotli.headers.vary).toMatch(/Accept-Encoding/i);
      expect(brotli.headers['cache-control']).toContain(cache);
      expect(brotli.headers['access-control-allow-origin']).toBe('*');
      expect(brotliDecompressSync(brotli.body).equals(original)).toBe(true);
      expect(brotli.body.length).toBeLessThan(original.length / 2);

      const gzip = await raw(urlPath, 'gzip');
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gzip.body).equals(original)).toBe(true);

      const plain = await raw(urlPath);
      expect(plain.status).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.headers['content-type']).toMatch(/^text\/javascript/);
      expect(plain.body.equals(original)).toBe(true);
    });
  }

  it('serves nothing outside the chunks folder and nothing that is not a chunk', async () => {
    expect((await raw('/chunks/..%2Fmanifest.json', 'br')).status).not.toBe(200);
    expect((await raw('/chunks/..%2F..%2Fpackage.js', 'br')).status).not.toBe(200);
    expect((await raw('/chunks/no-such-chunk.js', 'br')).status).toBe(404);
  });
});

describe('the studio', () => {
  const manifest = JSON.parse(readFileSync(path.join(assets.studioDir, '.vite', 'manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean }>;
  const entry = Object.values(manifest).find((chunk) => chunk.isEntry)!.file;
  const page = readFileSync(path.join(assets.studioDir, 'index.html'));

  it('answers every studio path with its one page, never cached stale, framed by no one', async () => {
    for (const urlPath of ['/studio/', '/studio/login', '/studio/tours?status=draft', '/studio/tours/0190d6f4-5c3e-7000-8000-000000000000']) {
      const answer = await raw(urlPath);
      expect(answer.status, urlPath).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^text\/html/);
      expect(answer.headers['cache-control']).toBe('no-cache');
      expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(answer.body.equals(page)).toBe(true);
    }
    const bare = await raw('/studio');
    expect(bare.status).toBe(301);
    expect(bare.headers.location).toBe('/studio/');
  });

  it('sends its hashed scripts compressed at build time and cached forever', async () => {
    const original = readFileSync(path.join(assets.studioDir, entry));
    const brotli = await raw(`/studio/${entry}`, 'gzip, deflate, br');
    expect(brotli.status).toBe(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^text\/javascript/);
    expect(brotli.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(brotli.body).equals(original)).toBe(true);
    const plain = await raw(`/studio/${entry}`);
    expect(plain.body.equals(original)).toBe(true);
  });

  it('answers a missing asset 404, not with the page', async () => {
    expect((await raw('/studio/assets/no-such-chunk.js', 'br')).status).toBe(404);
    expect((await raw('/studio/assets/..%2Findex.html')).status).not.toBe(200);
  });
});
