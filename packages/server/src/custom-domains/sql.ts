import type { Sql } from '@vr-tour/db';
import type { CustomDomainSSLStatus, CustomDomainVerificationStatus } from '@vr-tour/protocol';
import { SSL_RECHECK_ACTIVE_SQL, SSL_RETRY_INTERVAL_SQL, type SslChange } from './tls-check.js';
import type { VerificationChange } from './verifier.js';

export interface DomainRow {
  id: string;
  user_id: string;
  tour_id: string;
  host: string;
  path: string;
  verification_status: CustomDomainVerificationStatus;
  verification_token: string;
  verification_reason: string | null;
  verified_at: Date | null;
  last_checked_at: Date | null;
  next_check_at: Date | null;
  check_attempts: number;
  ssl_status: CustomDomainSSLStatus;
  ssl_reason: string | null;
  ssl_checked_at: Date | null;
  ssl_attempts: number;
  created_at: Date;
  updated_at: Date;
}

/** A claimed background check is not picked up again by another process for this long. */
const CLAIM_LEASE = `interval '5 minutes'`;

export async function insertDomain(
  sql: Sql,
  values: { userId: string; tourId: string; host: string; path: string; token: string },
): Promise<DomainRow | undefined> {
  // ON CONFLICT, not a prior SELECT: two creators racing for one host cannot both win.
  const [row] = await sql<DomainRow[]>`
    INSERT INTO custom_domains (user_id, tour_id, host, path, verification_token)
    VALUES (${values.userId}, ${values.tourId}, ${values.host}, ${values.path}, ${values.token})
    ON CONFLICT (host) DO NOTHING
    RETURNING *`;
  return row;
}

/** Who holds `host` now, if anyone. */
export async function findDomainByHost(sql: Sql, host: string): Promise<DomainRow | undefined> {
  const [row] = await sql<DomainRow[]>`SELECT * FROM custom_domains WHERE host = ${host}`;
  return row;
}

/**
 * Moves a host to another account: the row `heldId` goes, the new one comes,
 * in one transaction. Undefined when `heldId` no longer holds the host (it
 * was deleted or moved meanwhile), so the caller can tell the claimant to retry.
 */
export function replaceDomain(
  sql: Sql,
  heldId: string,
  values: { userId: string; tourId: string; host: string; path: string; token: string },
): Promise<DomainRow | undefined> {
  return sql.begin(async (tx) => {
    const gone = await tx`DELETE FROM custom_domains WHERE id = ${heldId} AND host = ${values.host} RETURNING id`;
    if (gone.length === 0) return undefined;
    const [row] = await tx<DomainRow[]>`
      INSERT INTO custom_domains (user_id, tour_id, host, path, verification_token)
      VALUES (${values.userId}, ${values.tourId}, ${values.host}, ${values.path}, ${values.token})
      RETURNING *`;
    return row;
  }) as Promise<DomainRow | undefined>;
}

export async function ownsTour(sql: Sql, userId: string, tourId: string): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM tours WHERE id = ${tourId} AND user_id = ${userId}`;
  return rows.length > 0;
}

export function listDomains(sql: Sql, userId: string): Promise<DomainRow[]> {
  return sql<DomainRow[]>`SELECT * FROM custom_domains WHERE user_id = ${userId} ORDER BY created_at, id`;
}

/** The owner's domain, or undefined: someone else's looks exactly like a missing one. */
export async function findOwnDomain(sql: Sql, userId: string, id: string): Promise<DomainRow | undefined> {
  const [row] = await sql<DomainRow[]>`SELECT * FROM custom_domains WHERE id = ${id} AND user_id = ${userId}`;
  return row;
}

/**
 * An owner's "verify now", if the domain was not checked in the last
 * `cooldownMs`: the claim stamps `last_checked_at` in the same statement that
 * tests it, so two clicks at once cannot both pass. Otherwise how long to
 * wait; undefined when the domain is not the owner's.
 */
export async function claimVerifyNow(
  sql: Sql,
  userId: string,
  id: string,
  cooldownMs: number,
): Promise<{ row: DomainRow } | { retryAfterSeconds: number } | undefined> {
  const cooldown = sql`make_interval(secs => ${cooldownMs / 1000})`;
  const [row] = await sql<DomainRow[]>`
    UPDATE custom_domains SET last_checked_at = now()
    WHERE id = ${id} AND user_id = ${userId} AND (last_checked_at IS NULL OR last_checked_at <= now() - ${cooldown})
    RETURNING *`;
  if (row) return { row };
  const [wait] = await sql<{ seconds: number }[]>`
    SELECT greatest(1, ceil(extract(epoch FROM last_checked_at + ${cooldown} - now())))::int AS seconds
    FROM custom_domains WHERE id = ${id} AND user_id = ${userId}`;
  return wait && { retryAfterSeconds: wait.seconds };
}

export async function deleteOwnDomain(sql: Sql, userId: string, id: string): Promise<boolean> {
  const rows = await sql`DELETE FROM custom_domains WHERE id = ${id} AND user_id = ${userId} RETURNING id`;
  return rows.length > 0;
}

/** The TLS edge's question; served by the unique index on host. */
export async function isVerifiedHost(sql: Sql, host: string): Promise<boolean> {
  const rows = await sql`SELECT 1 FROM custom_domains WHERE host = ${host} AND verification_status = 'verified'`;
  return rows.length > 0;
}

/** Takes up to `limit` domains whose DNS check is due, leasing them so that other processes skip them. */
export function claimDueDnsChecks(sql: Sql, limit: number): Promise<DomainRow[]> {
  return sql<DomainRow[]>`
    UPDATE custom_domains SET next_check_at = now() + ${sql.unsafe(CLAIM_LEASE)}
    WHERE id IN (
      SELECT id FROM custom_domains WHERE next_check_at <= now()
      ORDER BY next_check_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

/**
 * Takes up to `limit` verified domains whose certificate check is due (pending
 * ones on their backoff, active ones daily); the claim is the ssl_checked_at stamp.
 */
export function claimDueSslChecks(sql: Sql, limit: number): Promise<DomainRow[]> {
  return sql<DomainRow[]>`
    UPDATE custom_domains SET ssl_checked_at = now()
    WHERE id IN (
      SELECT id FROM custom_domains
      WHERE verification_status = 'verified' AND (
        (ssl_status = 'pending' AND (ssl_checked_at IS NULL OR ssl_checked_at + ${sql.unsafe(SSL_RETRY_INTERVAL_SQL)} <= now()))
        OR (ssl_status = 'active' AND ssl_checked_at + ${sql.unsafe(SSL_RECHECK_ACTIVE_SQL)} <= now()))
      ORDER BY ssl_checked_at NULLS FIRST LIMIT ${limit} FOR UPDATE SKIP LOCKED)
    RETURNING *`;
}

/**
 * Applies a verification outcome computed from the row as it is now: the
 * row is locked while `decide` runs, so a concurrent check or a creator's
 * "verify now" cannot interleave. Undefined when the domain is gone.
 */
export function applyVerification(
  sql: Sql,
  id: string,
  decide: (row: DomainRow) => VerificationChange,
): Promise<DomainRow | undefined> {
  return sql.begin(async (tx) => {
    const [row] = await tx<DomainRow[]>`SELECT * FROM custom_domains WHERE id = ${id} FOR UPDATE`;
    if (!row) return undefined;
    const change = decide(row);
    const [updated] = await tx<DomainRow[]>`
      UPDATE custom_domains SET
        verification_status = ${change.verificationStatus},
        verification_reason = ${change.reason},
        verified_at = ${change.verifiedNow ? tx`now()` : tx`verified_at`},
        last_checked_at = now(),
        check_attempts = ${change.checkAttempts},
        next_check_at = ${change.nextCheckInMs === null ? null : tx`now() + make_interval(secs => ${change.nextCheckInMs / 1000})`},
        ssl_status = ${change.sslStatus},
        ssl_reason = ${change.resetSsl ? null : tx`ssl_reason`},
        ssl_attempts = ${change.resetSsl ? 0 : tx`ssl_attempts`},
        ssl_checked_at = ${change.resetSsl ? null : tx`ssl_checked_at`}
      WHERE id = ${id}
      RETURNING *`;
    return updated;
  }) as Promise<DomainRow | undefined>;
}

/** Records a certificate check, unless the domain stopped being verified meanwhile. */
export async function applySslCheck(sql: Sql, id: string, change: SslChange): Promise<void> {
  await sql`
    UPDATE custom_domains SET ssl_status = ${change.sslStatus}, ssl_reason = ${change.reason},
      ssl_attempts = ${change.attempts}, ssl_checked_at = now()
    WHERE id = ${id} AND verification_status = 'verified' AND ssl_status IN ('pending', 'active')`;
}

export interface ServedDomainRow {
  path: string;
  verification_status: CustomDomainVerificationStatus;
  tour_id: string;
  tour_visible: boolean;
}

/** Which tour a host serves, at which path, and whether it may: one indexed query (the page itself is built from the tour's public document). */
export async function findServedDomain(sql: Sql, host: string, visibleCondition: string): Promise<ServedDomainRow | undefined> {
  const [row] = await sql<ServedDomainRow[]>`
    SELECT d.path, d.verification_status, t.id AS tour_id, (${sql.unsafe(visibleCondition)}) AS tour_visible
    FROM custom_domains d JOIN tours t ON t.id = d.tour_id
    WHERE d.host = ${host}`;
  return row;
}
