import { createHash } from 'node:crypto';
import type { Sql } from '@vr-tour/db';
import { HttpProblem } from '../http/problem.js';
import type { DomainChecks } from './checks.js';
import { dnsRecordsFor } from './schemas.js';
import { findDomainByHost, replaceDomain, type DomainRow } from './sql.js';

/**
 * A host is held by the account that registered it, verified or not; it
 * moves to another account only when that account proves it controls the
 * zone now, so a claim made by someone who cannot verify cannot squat a host
 * for good (Vercel's "domain in use by another account" works the same way).
 *
 * The proof is a TXT token bound to the claimant, the host and the very row
 * that holds it, so it is good for one move only. It need not be secret (it
 * goes into public DNS anyway): what it proves is that whoever controls the
 * zone published it for this account.
 */
export function takeoverToken(heldId: string, userId: string, host: string): string {
  // 128 bits, the shape of every verification token (the column's CHECK).
  return createHash('sha256').update(`vr-tour takeover\n${heldId}\n${userId}\n${host}`).digest('hex').slice(0, 32);
}

export interface HostClaim {
  userId: string;
  tourId: string;
  host: string;
  path: string;
}

/**
 * For a claim whose host another row holds: moves the host to the claimant
 * when the zone carries the claimant's takeover records, else throws the 409
 * that names those records. Nothing in it tells who holds the host.
 */
export async function claimHeldHost(sql: Sql, checks: DomainChecks, edgeHost: string, claim: HostClaim): Promise<DomainRow> {
  const { host } = claim;
  const held = await findDomainByHost(sql, host);
  if (!held) throw new HttpProblem(409, 'Conflict', `${host} was being registered or deleted at the same moment; try again`);
  if (held.user_id === claim.userId) throw new HttpProblem(409, 'Conflict', `${host} is already one of your custom domains`);
  const token = takeoverToken(held.id, claim.userId, host);
  const check = await checks.checkRecords(host, token);
  if (check.ok) {
    const row = await replaceDomain(sql, held.id, { ...claim, token });
    if (row) return row;
  }
  throw new HttpProblem(
    409,
    'Conflict',
    `${host} is already registered as a custom domain. If its DNS is yours, create these records and register it again: it moves to your account`,
    { dnsRecords: dnsRecordsFor(host, token, edgeHost), check },
  );
}
