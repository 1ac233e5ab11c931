import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Sql } from '@vr-tour/db';
import { PROBLEM_CONTENT_TYPE } from '@vr-tour/protocol';
import { WebSocket, WebSocketServer } from 'ws';
import { z } from 'zod';
import type { AuthUser } from '../auth/context.js';
import { readCookie, SESSION_COOKIE } from '../auth/cookies.js';
import { SESSION_TTL_MS } from '../auth/middleware.js';
import { findSessionUser, findTokenUser } from '../auth/sql.js';
import type { Logger } from '../logger.js';
import type { JobChange, JobChanges } from './changes.js';
import { FINAL_STATUSES, findJob, readJob, toJob } from './sql.js';

export interface JobSocketOptions {
  /** Open sockets one account may hold on this process. */
  maxPerAccount?: number;
  /** How often sockets are pinged; one that has not answered the previous ping by then is dropped. */
  heartbeatMs?: number;
  /** Largest message a client may send (a ping); larger closes the socket with 1009. */
  maxMessageBytes?: number;
  /** Bytes queued to a slow reader past which progress updates are skipped (final states never are). */
  maxBufferedBytes?: number;
}

export interface JobSocketDependencies {
  sql: Sql;
  changes: JobChanges;
  /** PUBLIC_URL: the origin a cookie-authenticated browser must come from; unset means the Host the request names. */
  publicUrl: string | undefined;
  logger?: Logger;
}

const PATH = /^\/ws\/jobs\/([^/?#]+)$/;
const uuid = z.uuid();
const clientMessage = z.strictObject({ type: z.literal('ping') });
/** Past this many queued bytes a reader that does not read is dropped, whatever it is sent. */
const DROP_FACTOR = 4;

class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** Answers an upgrade with a plain HTTP problem and closes the connection: nothing was upgraded. */
function refuse(socket: Duplex, refusal: Refusal, instance: string): void {
  const body = JSON.stringify({ type: 'about:blank', title: refusal.title, status: refusal.status, detail: refusal.detail, instance });
  socket.end(
    `HTTP/1.1 ${refusal.status} ${refusal.title}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  socket.destroy();
}

/** The one origin a browser's socket may come from. */
function ownOrigin(req: IncomingMessage, publicUrl: string | undefined): string | undefined {
  if (publicUrl) return new URL(publicUrl).origin;
  return req.headers.host ? `http://${req.headers.host}` : undefined;
}

/**
 * `/ws/jobs/{job_id}` on the server's own port: the job's owner (a bearer
 * API token, or the session cookie from the server's own origin) gets the
 * job's current state at once, then every change as the database announces
 * it (whichever process made it), then a normal close (1000) after a final
 * state. Anyone else is refused before the upgrade, with 401, 403 or 404 as
 * the REST API would answer.
 */
export function attachJobSockets(server: Server, deps: JobSocketDependencies, options: JobSocketOptions = {}) {
  const maxPerAccount = options.maxPerAccount ?? 10;
  const heartbeatMs = options.heartbeatMs ?? 30_000;
  const maxBufferedBytes = options.maxBufferedBytes ?? 256 * 1024;
  const wss = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes ?? 1024 });
  const perAccount = new Map<string, number>();
  const alive = new WeakSet<WebSocket>();

  async function authorise(req: IncomingMessage): Promise<{ caller: AuthUser; jobId: string }> {
    const match = PATH.exec(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (!match) throw new Refusal(404, 'Not Found', 'no socket here; jobs are followed at /ws/jobs/{job_id}');
    const authorization = req.headers.authorization;
    let caller: AuthUser;
    if (authorization !== undefined) {
      const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
      const found = token ? await findTokenUser(deps.sql, token) : undefined;
      if (!found) throw new Refusal(401, 'Unauthorized', 'the API token is malformed, unknown or revoked');
      caller = { ...found, via: 'token' };
    } else {
      const session = readCookie(req, SESSION_COOKIE);
      const found = session ? await findSessionUser(deps.sql, session, SESSION_TTL_MS) : undefined;
      if (!found) throw new Refusal(401, 'Unauthorized', 'sign in, or send an API token as Authorization: Bearer');
      // A page of another site could open a socket with the browser's cookie: only the server's own pages may.
      if (!req.headers.origin || req.headers.origin !== ownOrigin(req, deps.publicUrl)) {
        throw new Refusal(403, 'Forbidden', 'a cookie-authenticated socket must come from this server’s own origin');
      }
      caller = { ...found, via: 'session' };
    }
    const jobId = decodeURIComponent(match[1]!);
    if (!uuid.safeParse(jobId).success || !(await findJob(deps.sql, caller, jobId))) throw new Refusal(404, 'Not Found', 'no such AI job');
    if ((perAccount.get(caller.id) ?? 0) >= maxPerAccount) {
      throw new Refusal(429, 'Too Many Requests', `an account may follow at most ${maxPerAccount} jobs at once on one server`);
    }
    return { caller, jobId };
  }

  function follow(ws: WebSocket, caller: AuthUser, jobId: string): void {
    perAccount.set(caller.id, (perAccount.get(caller.id) ?? 0) + 1);
    alive.add(ws);
    let sent = -1;
    let ending = false;
    const send = (message: object, final: boolean) => {
      if (ws.readyState !== WebSocket.OPEN) return;
      if (ws.bufferedAmount > maxBufferedBytes * DROP_FACTOR) return ws.terminate();
      // A reader this far behind gets the final state, not every step on the way.
      if (!final && ws.bufferedAmount > maxBufferedBytes) return;
      ws.send(JSON.stringify(message));
    };
    const sendRow = async () => {
      const row = await readJob(deps.sql, jobId);
      if (!row || row.revision <= sent || ending) return;
      sent = row.revision;
      const final = FINAL_STATUSES.has(row.status);
      send({ type: 'job', job: toJob(row) }, final);
      if (final) {
        ending = true;
        ws.close(1000, `job ${row.status}`);
      }
    };
    let queue = Promise.resolve();
    const onChange = (change: JobChange) => {
      queue = queue.then(async () => {
        if (change.revision <= sent || ending) return;
        if (FINAL_STATUSES.has(change.status)) return sendRow();
        sent = change.revision;
        send({ type: 'progress', id: change.id, revision: change.revision, status: change.status, progress: { percent: change.progress, stage: change.stage } }, false);
      }).catch((error: unknown) => deps.logger?.warn({ err: error, jobId }, 'job socket update failed'));
    };
    // Following starts before the first read, so no change falls between the two.
    const unfollow = deps.changes.follow(jobId, onChange);
    queue = queue.then(sendRow).catch((error: unknown) => {
      deps.logger?.warn({ err: error, jobId }, 'job socket could not read the job');
      ws.close(1011, 'the job could not be read');
    });
    // A frame over the size limit or malformed: ws closes the socket (1009, 1002) after this event.
    ws.on('error', () => undefined);
    ws.on('pong', () => alive.add(ws));
    ws.on('message', (data, isBinary) => {
      let ping = false;
      try {
        ping = !isBinary && clientMessage.safeParse(JSON.parse(data.toString('utf8'))).success;
      } catch {
        ping = false;
      }
      if (ping) return send({ type: 'pong' }, true);
      ws.close(1008, 'the only message a client may send is {"type":"ping"}');
    });
    ws.on('close', () => {
      unfollow();
      const count = (perAccount.get(caller.id) ?? 1) - 1;
      if (count <= 0) perAccount.delete(caller.id);
      else perAccount.set(caller.id, count);
    });
  }

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    authorise(req).then(
      ({ caller, jobId }) => wss.handleUpgrade(req, socket, head, (ws) => follow(ws, caller, jobId)),
      (error: unknown) => {
        if (!(error instanceof Refusal)) deps.logger?.warn({ err: error }, 'job socket upgrade failed');
        refuse(socket, error instanceof Refusal ? error : new Refusal(503, 'Service Unavailable', 'try again shortly'), req.url ?? '');
      },
    );
  };
  server.on('upgrade', onUpgrade);

  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, heartbeatMs);
  heartbeat.unref();

  return {
    /** Sockets open on this process. */
    get size() {
      return wss.clients.size;
    },
    /** Closes every socket as the server goes away (1001), and stops taking new ones. */
    close(): void {
      clearInterval(heartbeat);
      server.off('upgrade', onUpgrade);
      for (const ws of wss.clients) ws.close(1001, 'server shutting down');
    },
  };
}
