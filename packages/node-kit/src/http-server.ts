import { once } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import { integerVariable } from './env.js';

/** How long a client may take, so slow or stalled ones cannot pin connections. */
export interface ServerTimeouts {
  /** To send a request's headers. */
  headersMs: number;
  /** To send a whole request, headers and body. */
  requestMs: number;
  /** Without a byte moving either way, mid-request or mid-answer. */
  idleMs: number;
  /** Between two requests on one kept-alive connection. */
  keepAliveMs: number;
}

/** `requestMs` is the process's own: the server takes uploads, the collector small batches. */
export function timeoutEnvironment(defaults: { requestMs: number }) {
  return {
    HTTP_HEADERS_TIMEOUT_MS: integerVariable(10_000, 100, 600_000),
    HTTP_REQUEST_TIMEOUT_MS: integerVariable(defaults.requestMs, 100, 24 * 3_600_000),
    HTTP_IDLE_TIMEOUT_MS: integerVariable(15_000, 100, 3_600_000),
    HTTP_KEEP_ALIVE_TIMEOUT_MS: integerVariable(5_000, 100, 600_000),
  };
}

/**
 * An HTTP server that closes slow clients' connections: headers not in by
 * `headersMs` or a request not in by `requestMs` is answered 408 and closed;
 * a connection on which nothing moves for `idleMs` is closed.
 */
export function createHttpServer(listener: RequestListener, timeouts: ServerTimeouts): Server {
  const server = createServer(
    {
      headersTimeout: timeouts.headersMs,
      requestTimeout: timeouts.requestMs,
      // Node checks the two above this often (by default every 30 s, which would let a slow client stay that much longer).
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(timeouts.headersMs / 4)),
    },
    listener,
  );
  server.keepAliveTimeout = timeouts.keepAliveMs;
  server.setTimeout(timeouts.idleMs);
  return server;
}

/** Listens on `host:port` (port 0 picks a free one); resolves once it does. */
export async function listen(server: Server, port: number, host: string): Promise<Server> {
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}
