import type { Sql } from '@vr-tour/db';
import type { Logger } from '../logger.js';
import { createDnsLookups } from './resolver.js';
import type { CustomDomainSettings } from './settings.js';
import {
  applySslCheck,
  applyVerification,
  claimDueDnsChecks,
  claimDueSslChecks,
  type DomainRow,
} from './sql.js';
import { checkEdgeCertificate, nextSslState } from './tls-check.js';
import { checkDns, nextVerificationState, type CheckResult } from './verifier.js';

/** Room for the edge to obtain a certificate from an ACME CA during the handshake. */
const TLS_CHECK_TIMEOUT_MS = 30_000;
/** Domains checked per round; a round's look-ups run concurrently. */
const BATCH = 20;

export interface DomainChecks {
  /** Looks up whether `host`'s records are those of `token` (TXT) and the edge (CNAME); records nothing. */
  checkRecords(host: string, token: string): Promise<CheckResult>;
  /** Checks one domain's DNS now and records the outcome; undefined when the domain is gone. */
  verify(domain: DomainRow, options?: { restart?: boolean }): Promise<{ row: DomainRow; check: CheckResult } | undefined>;
  /** One round of due background work: DNS (re-)verifications, then certificate checks. */
  runDue(): Promise<{ dns: number; tls: number }>;
}

export function createDomainChecks(sql: Sql, settings: CustomDomainSettings): DomainChecks {
  const lookups = createDnsLookups({ servers: settings.dnsServers, timeoutMs: settings.dnsTimeoutMs });
  const edge = { address: settings.edgeAddress, caFile: settings.edgeCaFile, timeoutMs: TLS_CHECK_TIMEOUT_MS };

  const checkRecords = (host: string, token: string) => checkDns(lookups, { host, token }, settings.edgeHost);

  async function verify(domain: DomainRow, options: { restart?: boolean } = {}) {
    // DNS first, outside the transaction: a slow server must not hold a row lock.
    const check = await checkRecords(domain.host, domain.verification_token);
    const row = await applyVerification(sql, domain.id, (current) =>
      nextVerificationState(
        { verificationStatus: current.verification_status, checkAttempts: current.check_attempts, sslStatus: current.ssl_status },
        check,
        options.restart,
      ),
    );
    return row && { row, check };
  }

  async function checkCertificate(domain: DomainRow): Promise<void> {
    const result = await checkEdgeCertificate(domain.host, edge);
    await applySslCheck(sql, domain.id, nextSslState(domain.ssl_attempts, result));
  }

  return {
    checkRecords,
    verify,
    async runDue() {
      const due = await claimDueDnsChecks(sql, BATCH);
      await Promise.all(due.map((domain) => verify(domain)));
      // After DNS, so a domain verified in this round gets its certificate checked in the same round.
      const certificates = await claimDueSslChecks(sql, BATCH);
      await Promise.all(certificates.map(checkCertificate));
      return { dns: due.length, tls: certificates.length };
    },
  };
}

/**
 * Runs `runDue` every `intervalMs`, never two rounds at once. Several
 * processes may run this: claims keep them off each other's domains.
 */
export function startDomainCheckLoop(checks: DomainChecks, logger: Logger, intervalMs = 30_000): () => Promise<void> {
  let running: Promise<void> | undefined;
  const round = () => {
    if (running) return;
    running = checks
      .runDue()
      .then((counts) => {
        if (counts.dns || counts.tls) logger.debug({ component: 'custom-domains', ...counts }, 'custom domain checks');
      })
      .catch((error: unknown) => logger.error({ component: 'custom-domains', err: error }, 'custom domain checks failed'))
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(round, intervalMs);
  timer.unref();
  round();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
