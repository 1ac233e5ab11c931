import type { CustomDomainSSLStatus, CustomDomainVerificationStatus } from '@vr-tour/protocol';
import { challengeName } from './hosts.js';
import type { DnsLookups } from './resolver.js';

export type CheckResult = { ok: true } | { ok: false; retryable: boolean; reason: string };

/**
 * Checks both records a creator was asked to create: the TXT token proves
 * who controls the zone, the CNAME proves the host still points at us (a
 * host pointing elsewhere must not be served: dangling-CNAME takeover).
 * A host at a zone apex cannot have a CNAME; addresses that are all the
 * edge's (ALIAS/flattening) count as pointing at us.
 */
export async function checkDns(
  lookups: DnsLookups,
  domain: { host: string; token: string },
  edgeHost: string,
): Promise<CheckResult> {
  const txtName = challengeName(domain.host);
  const txt = await lookups.txt(txtName);
  if (txt.kind === 'unreachable') return { ok: false, retryable: true, reason: `${txt.reason} (TXT ${txtName})` };
  if (txt.kind === 'missing') return { ok: false, retryable: false, reason: `TXT record ${txtName} is missing` };
  if (!txt.records.includes(domain.token)) {
    return { ok: false, retryable: false, reason: `TXT record ${txtName} has the wrong value` };
  }

  const cname = await lookups.cname(domain.host);
  if (cname.kind === 'unreachable') return { ok: false, retryable: true, reason: `${cname.reason} (CNAME ${domain.host})` };
  if (cname.kind === 'found') {
    if (cname.records.includes(edgeHost)) return { ok: true };
    return { ok: false, retryable: false, reason: `CNAME ${domain.host} points to ${cname.records[0]}, not ${edgeHost}` };
  }
  const [own, edge] = await Promise.all([lookups.addresses(domain.host), lookups.addresses(edgeHost)]);
  for (const [name, answer] of [[domain.host, own], [edgeHost, edge]] as const) {
    if (answer.kind === 'unreachable') return { ok: false, retryable: true, reason: `${answer.reason} (addresses of ${name})` };
  }
  if (own.kind === 'found' && edge.kind === 'found' && own.records.every((address) => edge.records.includes(address))) {
    return { ok: true };
  }
  return {
    ok: false,
    retryable: false,
    reason:
      own.kind === 'found'
        ? `${domain.host} points elsewhere: its addresses are not ${edgeHost}'s; add a CNAME to ${edgeHost}`
        : `CNAME record ${domain.host} → ${edgeHost} is missing`,
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Fast while a creator is probably still editing DNS, then hourly (Cloudflare caps at 4 h; we are cheaper). */
const FAST_DELAYS = [1, 2, 5, 10, 15, 30].map((minutes) => minutes * MINUTE);
/** Cloudflare gives up after 7 days; so do we. */
export const GIVE_UP_AFTER_MS = 7 * 24 * HOUR;
/** Verified domains are re-verified daily: takeover protection. */
export const REVERIFY_AFTER_MS = 24 * HOUR;

/** How long to wait after the `failures`-th failed check in a row (1-based), or null to give up. */
export function retryDelay(failures: number): number | null {
  const delay = (n: number) => FAST_DELAYS[n - 1] ?? HOUR;
  let elapsed = 0;
  for (let n = 1; n <= failures; n += 1) elapsed += delay(n);
  return elapsed > GIVE_UP_AFTER_MS ? null : delay(failures);
}

export interface VerificationState {
  verificationStatus: CustomDomainVerificationStatus;
  checkAttempts: number;
  sslStatus: CustomDomainSSLStatus;
}

export interface VerificationChange {
  verificationStatus: CustomDomainVerificationStatus;
  reason: string | null;
  checkAttempts: number;
  /** Null: no further background checks. */
  nextCheckInMs: number | null;
  /** Set verified_at to now (a fresh verification). */
  verifiedNow: boolean;
  sslStatus: CustomDomainSSLStatus;
  /** Start SSL checks afresh (ssl_attempts, ssl_reason, ssl_checked_at cleared). */
  resetSsl: boolean;
}

/**
 * The next state of a domain after a check. Pending domains keep their status
 * while the schedule runs (DNS takes time to propagate) and fail when it gives
 * up. A verified domain whose records stopped matching fails at once and stops
 * being served; one whose DNS merely did not answer keeps being served while
 * retries go on. `restart` (a creator asking for a check) starts the schedule over.
 */
export function nextVerificationState(current: VerificationState, result: CheckResult, restart = false): VerificationChange {
  const wasVerified = current.verificationStatus === 'verified';
  if (result.ok) {
    // A certificate that failed earlier gets another chance after each successful verification.
    const sslRestarts = current.sslStatus === 'none' || current.sslStatus === 'failed';
    return {
      verificationStatus: 'verified',
      reason: null,
      checkAttempts: 0,
      nextCheckInMs: REVERIFY_AFTER_MS,
      verifiedNow: !wasVerified,
      sslStatus: sslRestarts ? 'pending' : current.sslStatus,
      resetSsl: sslRestarts,
    };
  }
  const lost = wasVerified && !result.retryable;
  const failures = (restart || lost ? 0 : current.checkAttempts) + 1;
  const delay = retryDelay(failures);
  const status = lost || delay === null ? 'failed' : current.verificationStatus;
  const reason = lost
    ? `no longer verified, not served: ${result.reason}`
    : delay === null
      ? `gave up after ${failures} checks: ${result.reason}`
      : result.reason;
  const servedBefore = wasVerified && status !== 'verified';
  return {
    verificationStatus: status,
    reason,
    checkAttempts: failures,
    nextCheckInMs: delay,
    verifiedNow: false,
    sslStatus: servedBefore ? 'none' : current.sslStatus,
    resetSsl: servedBefore,
  };
}
