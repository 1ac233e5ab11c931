import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/**
 * The bench's loopback HTTP server: in-memory pages, and folders mounted
 * under URL prefixes. Everything is sent `no-store`, uncompressed, so every
 * run starts cold and all viewers are served alike.
 */

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.jpg': 'image/jpeg',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

export interface StaticSite {
  /** URL path -> body served from memory. */
  pages: Map<string, { type: string; body: string }>;
  /** URL prefix (like `/media/`) -> folder. */
  mounts: Record<string, string>;
}

export interface BenchServer {
  origin: string;
  /** The file a URL path is served from, or null (pages, unknown paths). */
  fileFor(urlPath: string): string | null;
  close(): Promise<void>;
}

export async function startServer(site: StaticSite): Promise<BenchServer> {
  const fileFor = (urlPath: string): string | null => {
    for (const [prefix, folder] of Object.entries(site.mounts)) {
      if (!urlPath.startsWith(prefix)) continue;
      const file = path.resolve(folder, `.${decodeURIComponent(urlPath.slice(prefix.length - 1))}`);
      return file.startsWith(path.resolve(folder) + path.sep) ? file : null;
    }
    return null;
  };

  const server: Server = createServer((request, response) => {
    const urlPath = new URL(request.url ?? '/', 'http://bench').pathname;
    const headers = { 'cache-control': 'no-store' };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, headers).end();
      return;
    }
    const page = site.pages.get(urlPath);
    if (page) {
      response.writeHead(200, { ...headers, 'content-type': page.type }).end(page.body);
      return;
    }
    const file = fileFor(urlPath);
    const notFound = () => response.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end(`no ${urlPath}`);
    if (!file) return notFound();
    stat(file).then(
      (info) => {
        if (!info.isFile()) return notFound();
        response.writeHead(200, {
          ...headers,
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'content-length': info.size,
        });
        if (request.method === 'HEAD') return response.end();
        createReadStream(file).pipe(response);
      },
      () => notFound(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    fileFor,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
