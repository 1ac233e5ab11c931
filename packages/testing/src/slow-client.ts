import { connect } from 'node:net';

export interface HalfSentRequest {
  /** What the server wrote before it closed the connection (a 408, or nothing). */
  answer: string;
}

/**
 * Opens a raw connection to `url`, sends a POST's headers declaring
 * `declaredBytes` of body and only `body` of it, then waits. Resolves once
 * the server closes the connection; rejects if it is still open after
 * `giveUpMs` (a generous bound, not a timing assertion).
 */
export function sendHalfABody(
  url: string,
  options: { declaredBytes: number; body: string; giveUpMs: number; contentType?: string },
): Promise<HalfSentRequest> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept a half-sent request open for ${options.giveUpMs} ms`));
    }, options.giveUpMs);
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', () => {});
    socket.once('close', () => {
      clearTimeout(timer);
      resolve({ answer });
    });
    socket.once('connect', () => {
      socket.write(
        `POST ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: ${options.contentType ?? 'text/plain'}\r\n` +
          `Content-Length: ${options.declaredBytes}\r\n\r\n${options.body}`,
      );
    });
  });
}
