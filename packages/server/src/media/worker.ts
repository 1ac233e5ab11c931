import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from '@vr-tour/db';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
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
  claim: db.MediaClaim;
  lease: db.Lease;
  /** Keys of the files this attempt stored (each referenced by the row before it was written). */
  stored: string[];
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
    this.listening ??= this.sql.listen(db.MEDIA_JOBS_CHANNEL, () => this.wake()).catch((error: unknown) => {
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
  claim(): Promise<db.MediaClaim | undefined> {
    return db.claimDue(this.sql, this.owner, this.leaseMs);
  }

  private job(claim: db.MediaClaim): Job {
    return { claim, lease: { id: claim.id, owner: this.owner, ms: this.leaseMs }, stored: [], lost: false };
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      const claim = await this.claim().catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'media worker cannot claim');
        return null;
      });
      if (claim && this.stopping) {
        await this.release(this.job(claim));
        break;
      }
      if (claim) {
        const job = this.job(claim);
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
        await this.sweepFiles().catch((error: unknown) => this.options.logger?.warn({ err: error }, 'media worker cannot sweep stored files'));
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
    const { claim, lease } = job;
    if (claim.attempts > this.maxAttempts) {
      return this.fail(job, `processing was started ${this.maxAttempts} times and never finished: the server process running it stopped each time`);
    }
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
      if (job.lost) return this.lost(job);
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
    if (job.lost || !(await db.referenceFile(this.sql, job.lease, key))) {
      job.lost = true;
      throw new LeaseLost('the media row is no longer leased by this worker');
    }
    job.stored.push(key);
    await this.storage.put(key, data, contentType);
  }

  private async renew(job: Job): Promise<void> {
    const held = await db.renewLease(this.sql, job.lease).catch(() => undefined);
    if (held === false) job.lost = true;
  }

  /** Ends the row failed with `reason`, and removes what every attempt on it stored, and its original. */
  private async fail(job: Job, reason: string): Promise<void> {
    const referenced = await db.markFailed(this.sql, job.lease, reason);
    if (!referenced) return this.lost(job);
    await releaseFiles(this.sql, this.storage, referenced);
    await this.storage.unstage(job.claim.id);
  }

  /**
   * The row is no longer this worker's. Taken over or handed back: the next
   * holder finishes it (with the same content-addressed outputs). Deleted:
   * its deletion removed the files it referenced, but a file this job wrote
   * after that removal is nobody's; those go now, with the original.
   */
  private async lost(job: Job): Promise<void> {
    job.lost = true;
    if (await db.mediaExists(this.sql, job.claim.id)) return;
    await releaseFiles(this.sql, this.storage, job.stored);
    await this.storage.unstage(job.claim.id);
  }

  /** Hands the row back at shutdown; the job still running stops at its next write. */
  private async release(job: Job): Promise<void> {
    job.lost = true;
    const released = await db.handBack(this.sql, job.lease).catch((error: unknown) => {
      this.options.logger?.warn({ err: error, mediaId: job.claim.id }, 'media row not handed back; its lease runs out instead');
      return false;
    });
    if (released) await this.sql.notify(db.MEDIA_JOBS_CHANNEL, job.claim.id).catch(() => undefined);
  }
}

/** The worker a server process runs, set up from its configuration. */
export function startMediaWorker(sql: Sql, storage: Storage, config: Config, logger?: Logger): MediaWorker {
  return new MediaWorker(sql, storage, { maxPixels: config.upload.maxPixels, format: config.panoramaFormat, ...(logger ? { logger } : {}) }).start();
}
