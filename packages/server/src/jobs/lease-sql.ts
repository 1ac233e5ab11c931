import type { Db, Sql } from '@vr-tour/db';

/**
 * A table whose rows are a job queue (DESIGN.md, data flows 3 and 5): each
 * row has `status` ('pending', then 'processing' while leased), `attempts`,
 * `progress`, `lease_owner`, `lease_expires_at` and `created_at`. The media
 * and the AI jobs tables both are; this is the one copy of how their rows
 * are claimed, held and handed back.
 */
export interface LeasedTable {
  table: 'media' | 'ai_jobs';
  /** Columns the claim returns (as `j.…`): at least `j.id, j.attempts`. */
  returning: string;
  /** More assignments made on claim, e.g. a start time (`, started_at = …`). */
  onClaim?: string;
  /** More assignments made on hand-back, resetting what an attempt wrote. */
  onHandBack?: string;
}

/** The processing lease a worker holds on a row: who, and for how long at each renewal. */
export interface Lease {
  id: string;
  owner: string;
  ms: number;
}

export const leaseEnd = (sql: Db, ms: number) => sql`now() + ${ms / 1000}::float8 * interval '1 second'`;

/** Claims the oldest due row: pending, or processing under a lease that ran out. Two claimers never get the same row. */
export async function claimDue<Claim extends object>(sql: Sql, queue: LeasedTable, owner: string, leaseMs: number): Promise<Claim | undefined> {
  const [claim] = await sql<Claim[]>`
    UPDATE ${sql(queue.table)} j SET status = 'processing', attempts = j.attempts + 1, lease_owner = ${owner},
      lease_expires_at = ${leaseEnd(sql, leaseMs)} ${sql.unsafe(queue.onClaim ?? '')}
    FROM (SELECT id FROM ${sql(queue.table)} WHERE status IN ('pending', 'processing') AND (lease_expires_at IS NULL OR lease_expires_at < now())
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) due
    WHERE j.id = due.id
    RETURNING ${sql.unsafe(queue.returning)}`;
  return claim;
}

/** Extends the lease; false when the row is no longer held by it. */
export async function renewLease(sql: Db, queue: LeasedTable, lease: Lease): Promise<boolean> {
  const held = await sql`
    UPDATE ${sql(queue.table)} SET lease_expires_at = ${leaseEnd(sql, lease.ms)}
    WHERE id = ${lease.id} AND lease_owner = ${lease.owner} RETURNING id`;
  return held.length > 0;
}

/** Hands the row back (pending, lease released, the attempt not counted); false when no longer held. */
export async function handBack(sql: Sql, queue: LeasedTable, lease: Lease): Promise<boolean> {
  const released = await sql`
    UPDATE ${sql(queue.table)} SET status = 'pending', progress = 0, lease_owner = NULL, lease_expires_at = NULL,
      attempts = greatest(attempts - 1, 0) ${sql.unsafe(queue.onHandBack ?? '')}
    WHERE id = ${lease.id} AND lease_owner = ${lease.owner} RETURNING id`;
  return released.length > 0;
}
