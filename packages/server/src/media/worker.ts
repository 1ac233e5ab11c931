import type { Sql } from '@vr-tour/db';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { JobRunner, type LeasedJob } from '../jobs/runner.js';
import type { Storage } from '../storage/storage.js';
import { releaseFiles } from './files.js';
import { processImage, processPanorama, type PipelineContext } from './pipeline.js';
import * as db from './sql.js';

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
  /** How often an idle worker sweeps staged originals no row will ever process, and stored files no row references (default hourly). */
  sweepEveryMs?: number;
  /** How old a staged original must be to be swept (default an hour: no upload's transaction is open that long). */
  orphanAfterMs?: number;
}

interface Job {
  leased: LeasedJob<db.MediaClaim>;
  /** Keys of the files this attempt stored (each referenced by the row before it was written). */
  stored: string[];
}

class LeaseLost extends Error {}

/**
 * Processes uploads in the background of every server process, with the
 * media rows as the queue of a job runner (jobs/runner.ts: claims under a
 * renewed lease, bounded attempts). Every write of the job is conditional on
 * still holding the lease, so a worker that lost it never overwrites the one
 * that took over. One job at a time per process: an 8192x4096 panorama takes
 * hundreds of megabytes while it is processed.
 */
export class MediaWorker {
  private readonly runner: JobRunner<db.MediaClaim>;
  private readonly sweepEveryMs: number;
  private readonly orphanAfterMs: number;
  private lastSweep = 0;

  constructor(
    private readonly sql: Sql,
    private readonly storage: Storage,
    private readonly options: MediaWorkerOptions,
  ) {
    this.sweepEveryMs = options.sweepEveryMs ?? 3_600_000;
    this.orphanAfterMs = options.orphanAfterMs ?? 3_600_000;
    this.runner = new JobRunner(
      sql,
      db.MEDIA_QUEUE,
      {
        process: (leased) => this.attempt({ leased, stored: [] }),
        exhausted: (leased, reason) => this.fail({ leased, stored: [] }, reason),
        idle: () => this.sweepWhenDue(),
      },
      { name: 'media processing', leaseMs: options.leaseMs, pollMs: options.pollMs, maxAttempts: options.maxAttempts, logger: options.logger },
    );
  }

  /** Who holds a lease: unique per worker, readable in the row. */
  get owner(): string {
    return this.runner.owner;
  }

  /** Starts claiming: rows left by stopped processes first (oldest first), then new uploads as they are notified. */
  start(): this {
    this.runner.start();
    return this;
  }

  /** Looks for a due row now rather than at the next poll. */
  wake(): void {
    this.runner.wake();
  }

  /**
   * Stops claiming; lets the current job finish within `graceMs`, or else
   * hands its row back (pending, lease released, the attempt not counted)
   * so another process takes it.
   */
  stop(graceMs = 0): Promise<void> {
    return this.runner.stop(graceMs);
  }

  /** Claims the oldest due row: pending, or processing under a lease that ran out. */
  claim(): Promise<db.MediaClaim | undefined> {
    return this.runner.claim();
  }

  private async sweepWhenDue(): Promise<void> {
    if (Date.now() - this.lastSweep < this.sweepEveryMs) return;
    this.lastSweep = Date.now();
    await this.sweepStaging().catch((error: unknown) => this.options.logger?.warn({ err: error }, 'media worker cannot sweep staged originals'));
    await this.sweepFiles().catch((error: unknown) => this.options.logger?.warn({ err: error }, 'media worker cannot sweep stored files'));
  }

  /**
   * Removes staged originals that no row will ever process: their upload's
   * transaction rolled back after staging (a process killed in between), or
   * their row was deleted, or finished without unstaging. Returns how many.
   */
  async sweepStaging(): Promise<number> {
    const staged = await this.storage.stagedBefore(this.orphanAfterMs);
    if (staged.length === 0) return 0;
    const keep = await db.dueAmong(this.sql, staged);
    const orphans = staged.filter((id) => !keep.has(id));
    for (const id of orphans) await this.storage.unstage(id);
    if (orphans.length > 0) this.options.logger?.info({ count: orphans.length }, 'swept staged originals no row will process');
    return orphans.length;
  }

  /**
   * Removes stored files that no media row references: an account deleted
   * while one of its uploads was being stored, or a removal cut short.
   * Returns how many.
   */
  async sweepFiles(): Promise<number> {
    const removed = await releaseFiles(this.sql, this.storage, await db.unreferencedFiles(this.sql, 1000));
    if (removed > 0) this.options.logger?.info({ count: removed }, 'swept stored files no media row references');
    return removed;
  }

  private async attempt(job: Job): Promise<void> {
    const { claim, lease } = job.leased;
    const file = await this.storage.stagedFile(claim.id);
    if (!file) return this.fail(job, 'the original upload is no longer stored, so it cannot be processed; upload the file again');
    let lastWritten = -1;
    const context: PipelineContext = {
      storage: this.storage,
      maxPixels: this.options.maxPixels,
      format: this.options.format,
      store: (key, data, contentType) => this.store(job, key, data, contentType),
      progress: (percent) => {
        // Progress writes are best-effort and only on change; the final update below is what counts.
        if (percent === lastWritten) return;
        lastWritten = percent;
        void db.setProgress(this.sql, lease, percent).catch(() => undefined);
      },
    };
    let variants;
    try {
      variants = claim.kind === 'panorama' ? await processPanorama(file, context) : await processImage(file, context);
    } catch (error) {
      if (job.leased.lost) return this.lost(job);
      this.options.logger?.warn({ err: error, mediaId: claim.id }, 'media processing failed');
      return this.fail(job, error instanceof Error ? error.message.slice(0, 500) : 'processing failed');
    }
    const stale = await db.markReady(this.sql, lease, variants, job.stored);
    if (!stale) return this.lost(job);
    // Files an earlier attempt stored that these outputs do not use (the format setting changed in between).
    await releaseFiles(this.sql, this.storage, stale);
    // The outputs exist: nothing needs the original any more (there is no reprocessing of a ready row).
    await this.storage.unstage(claim.id);
  }

  /**
   * Stores one output: the row references the file first, so from then on
   * no removal (of another row sharing it) takes it; stops the job when the
   * row is no longer this worker's.
   */
  private async store(job: Job, key: string, data: Buffer, contentType: string): Promise<void> {
    if (job.leased.lost || !(await db.referenceFile(this.sql, job.leased.lease, key))) {
      job.leased.lose();
      throw new LeaseLost('the media row is no longer leased by this worker');
    }
    job.stored.push(key);
    await this.storage.put(key, data, contentType);
  }

  /** Ends the row failed with `reason`, and removes what every attempt on it stored, and its original. */
  private async fail(job: Job, reason: string): Promise<void> {
    const referenced = await db.markFailed(this.sql, job.leased.lease, reason);
    if (!referenced) return this.lost(job);
    await releaseFiles(this.sql, this.storage, referenced);
    await this.storage.unstage(job.leased.claim.id);
  }

  /**
   * The row is no longer this worker's. Taken over or handed back: the next
   * holder finishes it (with the same content-addressed outputs). Deleted:
   * its deletion removed the files it referenced, but a file this job wrote
   * after that removal is nobody's; those go now, with the original.
   */
  private async lost(job: Job): Promise<void> {
    job.leased.lose();
    if (await db.mediaExists(this.sql, job.leased.claim.id)) return;
    await releaseFiles(this.sql, this.storage, job.stored);
    await this.storage.unstage(job.leased.claim.id);
  }
}

/** The worker a server process runs, set up from its configuration. */
export function startMediaWorker(sql: Sql, storage: Storage, config: Config, logger?: Logger): MediaWorker {
  return new MediaWorker(sql, storage, { maxPixels: config.upload.maxPixels, format: config.panoramaFormat, ...(logger ? { logger } : {}) }).start();
}
