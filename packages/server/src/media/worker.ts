import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from '@vr-tour/db';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import type { Storage } from '../storage/storage.js';
import { removeOutputs } from './files.js';
import type { AcceptedKind } from './inspect.js';
import { processImage, processPanorama, type PipelineContext } from './pipeline.js';

/** Notified (with the media id) when a row becomes due, so idle workers claim it at once. */
export const MEDIA_JOBS_CHANNEL = 'media_jobs';

export interface MediaWorkerOptions {
  maxPixels: number;
  format: 'webp' | 'avif';
  logger?: Logger;
  /** How long a claim holds without being renewed; it is renewed every third of that while the job runs. */
  leaseMs?: number;
  /** How often an idle worker looks for due rows unasked: a lease that runs out notifies no one. */
  pollMs?: number;
  /** Claims of one row before it ends failed (each one that never finished was a process that died on it). */
  maxAttempts?: number;
  /** How often an idle worker sweeps staged originals no row will ever process (default hourly). */
  sweepEveryMs?: number;
  /** How old a staged original must be to be swept (default an hour: no upload's transaction is open that long). */
  orphanAfterMs?: number;
}

export interface MediaClaim {
  id: string;
  kind: AcceptedKind;
  /** This claim included. */
  attempts: number;
  sha256: string | null;
}

interface Job {
  claim: MediaClaim;
  /** Keys this attempt stored itself (not those that were already there). */
  created: string[];
  /** Set once the row is no longer this worker's (released, taken over, deleted): the job stops at its next write. */
  lost: boolean;
}

class LeaseLost extends Error {}

/**
 * Processes uploads in the background of every server process, with the
 * media rows as the queue: a worker claims the oldest due row with
 * `FOR UPDATE SKIP LOCKED` (so two workers never take the same one) and a
 * lease it renews as it goes. Every write of the job is conditional on still
 * holding the lease, so a worker that lost it never overwrites the one that
 * took over. One job at a time per process: an 8192x4096 panorama takes
 * hundreds of megabytes while it is processed.
 */
export class MediaWorker {
  /** Who holds a lease: unique per worker, readable in the row. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private readonly sweepEveryMs: number;
  private readonly orphanAfterMs: number;
  private lastSweep = 0;
  private stopping = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;
  private current: { job: Job; done: Promise<void> } | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly storage: Storage,
    private readonly options: MediaWorkerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 5_000;
    this.maxAttempts = options.maxAttempts ?? 3;
    this.sweepEveryMs = options.sweepEveryMs ?? 3_600_000;
    this.orphanAfterMs = options.orphanAfterMs ?? 3_600_000;
  }

  /** Starts claiming: rows left by stopped processes first (oldest first), then new uploads as they are notified. */
  start(): this {
    this.listening ??= this.sql.listen(MEDIA_JOBS_CHANNEL, () => this.wake()).catch((error: unknown) => {
      this.options.logger?.warn({ err: error }, 'media worker cannot listen for new uploads; it polls');
      return undefined;
    });
    this.loop ??= this.run();
    return this;
  }

  /**
   * Removes staged originals that no row will ever process: their upload's
   * transaction rolled back after staging (a process killed in between), or
   * their row was deleted, or finished without unstaging. Returns how many.
   */
  async sweepStaging(): Promise<number> {
    const staged = await this.storage.stagedBefore(this.orphanAfterMs);
    if (staged.length === 0) return 0;
    const waiting = await this.sql<{ id: string }[]>`
      SELECT id FROM media WHERE id = ANY(${staged}::uuid[]) AND status IN ('pending', 'processing')`;
    const keep = new Set(waiting.map((row) => row.id));
    const orphans = staged.filter((id) => !keep.has(id));
    for (const id of orphans) await this.storage.unstage(id);
    if (orphans.length > 0) this.options.logger?.info({ count: orphans.length }, 'swept staged originals no row will process');
    return orphans.length;
  }

  /** Looks for a due row now rather than at the next poll. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /**
   * Stops claiming; lets the current job finish within `graceMs`, or else
   * hands its row back (pending, lease released, the attempt not counted)
   * so another process takes it.
   */
  async stop(graceMs = 0): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await (await this.listening)?.unlisten().catch(() => undefined);
    const current = this.current;
    if (current) {
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        current.done.then(() => true),
        new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), graceMs))),
      ]);
      clearTimeout(timer);
      if (!finished) return this.release(current.job);
    }
    await this.loop;
  }

  /** Claims the oldest due row: pending, or processing under a lease that ran out. */
  async claim(): Promise<MediaClaim | undefined> {
    const [claim] = await this.sql<MediaClaim[]>`
      UPDATE media m SET status = 'processing', attempts = m.attempts + 1, lease_owner = ${this.owner}, lease_expires_at = ${this.leaseEnd()}
      FROM (SELECT id FROM media WHERE status IN ('pending', 'processing') AND (lease_expires_at IS NULL OR lease_expires_at < now())
            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED) due
      WHERE m.id = due.id
      RETURNING m.id, m.kind, m.attempts, m.sha256`;
    return claim;
  }

  private leaseEnd() {
    return this.sql`now() + ${this.leaseMs / 1000}::float8 * interval '1 second'`;
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      const claim = await this.claim().catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'media worker cannot claim');
        return null;
      });
      if (claim && this.stopping) {
        await this.release({ claim, created: [], lost: false });
        break;
      }
      if (claim) {
        const job: Job = { claim, created: [], lost: false };
        const done = this.process(job);
        this.current = { job, done };
        await done;
        this.current = undefined;
        continue;
      }
      if (this.stopping || (claim === undefined && this.woken)) continue;
      if (Date.now() - this.lastSweep >= this.sweepEveryMs) {
        this.lastSweep = Date.now();
        await this.sweepStaging().catch((error: unknown) => this.options.logger?.warn({ err: error }, 'media worker cannot sweep staged originals'));
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs);
        timer.unref();
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }

  private async process(job: Job): Promise<void> {
    const renewal = setInterval(() => void this.renew(job), this.leaseMs / 3);
    try {
      await this.attempt(job);
    } catch (error) {
      // Database or storage unreachable: the row stays leased, and once the lease runs out it is tried again.
      this.options.logger?.warn({ err: error, mediaId: job.claim.id }, 'media processing interrupted');
    } finally {
      clearInterval(renewal);
    }
  }

  private async attempt(job: Job): Promise<void> {
    const { claim } = job;
    if (claim.attempts > this.maxAttempts) {
      return this.fail(job, `processing was started ${this.maxAttempts} times and never finished: the server process running it stopped each time`);
    }
    const file = await this.storage.stagedFile(claim.id);
    if (!file) return this.fail(job, 'the original upload is no longer stored, so it cannot be processed; upload the file again');
    const { sql, owner } = this;
    let lastWritten = -1;
    const context: PipelineContext = {
      storage: this.storage,
      maxPixels: this.options.maxPixels,
      format: this.options.format,
      created: job.created,
      record: (key) => this.record(job, key),
      progress: (percent) => {
        // Progress writes are best-effort and only on change; the final update below is what counts.
        if (percent === lastWritten) return;
        lastWritten = percent;
        void sql`UPDATE media SET progress = ${percent} WHERE id = ${claim.id} AND lease_owner = ${owner}`.catch(() => undefined);
      },
    };
    let variants;
    try {
      variants = claim.kind === 'panorama' ? await processPanorama(file, context) : await processImage(file, context);
    } catch (error) {
      if (job.lost) return this.lost(job);
      this.options.logger?.warn({ err: error, mediaId: claim.id }, 'media processing failed');
      return this.fail(job, error instanceof Error ? error.message.slice(0, 500) : 'processing failed');
    }
    const [ready] = await sql`
      UPDATE media SET status = 'ready', progress = 100, variants = ${sql.json(variants as never)}, error = NULL,
                       lease_owner = NULL, lease_expires_at = NULL, written_keys = '{}'
      WHERE id = ${claim.id} AND lease_owner = ${owner} RETURNING id`;
    if (!ready) return this.lost(job);
    // The outputs exist: nothing needs the original any more (there is no reprocessing of a ready row).
    await this.storage.unstage(claim.id);
  }

  /** Notes a key in the row before the pipeline writes it; stops the job when the row is no longer this worker's. */
  private async record(job: Job, key: string): Promise<void> {
    if (job.lost) throw new LeaseLost('the media row is no longer leased by this worker');
    const [held] = await this.sql`
      UPDATE media SET lease_expires_at = ${this.leaseEnd()},
        written_keys = CASE WHEN ${key} = ANY (written_keys) THEN written_keys ELSE array_append(written_keys, ${key}::text) END
      WHERE id = ${job.claim.id} AND lease_owner = ${this.owner} RETURNING id`;
    if (!held) {
      job.lost = true;
      throw new LeaseLost('the media row is no longer leased by this worker');
    }
  }

  private async renew(job: Job): Promise<void> {
    const held = await this.sql`
      UPDATE media SET lease_expires_at = ${this.leaseEnd()} WHERE id = ${job.claim.id} AND lease_owner = ${this.owner} RETURNING id`.catch(() => undefined);
    if (held?.length === 0) job.lost = true;
  }

  /** Ends the row failed with `reason`, and removes what every attempt on it stored, and its original. */
  private async fail(job: Job, reason: string): Promise<void> {
    const { claim } = job;
    const [failed] = await this.sql<{ written_keys: string[] }[]>`
      UPDATE media SET status = 'failed', error = ${reason}, variants = '{}', lease_owner = NULL, lease_expires_at = NULL
      WHERE id = ${claim.id} AND lease_owner = ${this.owner} RETURNING written_keys`;
    if (!failed) return this.lost(job);
    await removeOutputs(this.sql, this.storage, claim.sha256, [...failed.written_keys, ...job.created]);
    await this.storage.unstage(claim.id);
  }

  /**
   * The row is no longer this worker's. Taken over: the new holder finishes
   * it (with the same content-addressed outputs). Deleted: nothing of it may stay.
   */
  private async lost(job: Job): Promise<void> {
    job.lost = true;
    const [exists] = await this.sql`SELECT 1 FROM media WHERE id = ${job.claim.id}`;
    if (exists) return;
    await removeOutputs(this.sql, this.storage, job.claim.sha256, job.created);
    await this.storage.unstage(job.claim.id);
  }

  /** Hands the row back at shutdown; the job still running stops at its next write. */
  private async release(job: Job): Promise<void> {
    job.lost = true;
    const [released] = await this.sql`
      UPDATE media SET status = 'pending', progress = 0, lease_owner = NULL, lease_expires_at = NULL, attempts = greatest(attempts - 1, 0)
      WHERE id = ${job.claim.id} AND lease_owner = ${this.owner} RETURNING id`.catch((error: unknown) => {
      this.options.logger?.warn({ err: error, mediaId: job.claim.id }, 'media row not handed back; its lease runs out instead');
      return [];
    });
    if (released) await this.sql.notify(MEDIA_JOBS_CHANNEL, job.claim.id).catch(() => undefined);
  }
}

/** The worker a server process runs, set up from its configuration. */
export function startMediaWorker(sql: Sql, storage: Storage, config: Config, logger?: Logger): MediaWorker {
  return new MediaWorker(sql, storage, { maxPixels: config.upload.maxPixels, format: config.panoramaFormat, ...(logger ? { logger } : {}) }).start();
}
