import { readFile } from 'node:fs/promises';
import { connect } from 'node:tls';
import type { CustomDomainSSLStatus } from '@vr-tour/protocol';

export type TlsCheckResult = { ok: true } | { ok: false; reason: string };

export interface EdgeTarget {
  address: { host: string; port: number };
  /** PEM of the CA the certificate must chain to; unset: Node's public roots. */
  caFile: string | undefined;
  timeoutMs: number;
}

/**
 * Handshakes with the edge as a browser would, SNI = host, and accepts only a
 * certificate that chains to the trusted CA and names the host. With
 * on-demand TLS this handshake is also what makes the edge obtain the
 * certificate, so the timeout leaves room for an ACME issuance.
 */
export async function checkEdgeCertificate(host: string, edge: EdgeTarget): Promise<TlsCheckResult> {
  let ca: Buffer | undefined;
  if (edge.caFile) {
    try {
      // Read at each check: the edge may create or rotate its CA after we start.
      ca = await readFile(edge.caFile);
    } catch (error) {
      return { ok: false, reason: `cannot read EDGE_CA_FILE ${edge.caFile}: ${(error as NodeJS.ErrnoException).code}` };
    }
  }
  return new Promise((resolve) => {
    const socket = connect({
      host: edge.address.host,
      port: edge.address.port,
      servername: host,
      ca,
      rejectUnauthorized: true,
      ALPNProtocols: ['http/1.1'],
    });
    const finish = (result: TlsCheckResult) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(edge.timeoutMs, () => finish({ ok: false, reason: 'TLS handshake with the edge timed out' }));
    // rejectUnauthorized: reaching secureConnect means the chain and the name were verified.
    socket.once('secureConnect', () => finish({ ok: true }));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      finish({ ok: false, reason: `the edge did not serve a valid certificate for ${host}: ${error.code ?? ''} ${error.message}`.trim() });
    });
  });
}

/** After this many failed handshakes in a row the SSL status is `failed` (about 4 hours with the backoff below). */
export const SSL_MAX_ATTEMPTS = 10;

/** SSL checks back off from one minute, doubling, to hourly; in SQL, as the due-check query needs it. */
export const SSL_RETRY_INTERVAL_SQL = `make_interval(mins => least(60, power(2, ssl_attempts)::int))`;
/** An active certificate is checked again daily: a renewal that failed shows as `pending` with the reason. */
export const SSL_RECHECK_ACTIVE_SQL = `interval '1 day'`;

export interface SslChange {
  sslStatus: CustomDomainSSLStatus;
  reason: string | null;
  attempts: number;
}

/** `attempts`: failed handshakes in a row so far (0 for an active certificate, which falls back to pending on a failure). */
export function nextSslState(attempts: number, result: TlsCheckResult): SslChange {
  if (result.ok) return { sslStatus: 'active', reason: null, attempts: 0 };
  const failures = attempts + 1;
  return failures >= SSL_MAX_ATTEMPTS
    ? { sslStatus: 'failed', reason: `gave up after ${failures} attempts: ${result.reason}`, attempts: failures }
    : { sslStatus: 'pending', reason: result.reason, attempts: failures };
}
