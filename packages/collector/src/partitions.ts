import type { Sql } from '@vr-tour/db';

// One-key advisory lock, so collectors starting together do not race on CREATE TABLE.
const PARTITION_LOCK_KEY = 7_351_402_118;

/**
 * Makes sure last month's, this month's and the next two months' event
 * partitions exist (ensure_event_partitions is idempotent).
 */
export async function ensurePartitions(transaction: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>, now: number): Promise<void> {
  const date = new Date(now);
  const first = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  await transaction(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${PARTITION_LOCK_KEY})`;
    await tx`SELECT ensure_event_partitions(${first}::date, 4)`;
  });
}
