import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Sql } from '@vr-tour/db';
import type { Logger } from '../logger.js';
import { claimDue, handBack, renewLease, type Lease, type LeasedTable } from './lease-sql.js';

/** What every claim returns, at least. */
export interface Claimed {
  id: string;
  /** This claim included. */
  attempts: number;
}

/** A queue: its table, and the channel notified (with the row's id) when a row becomes due. */
export interface JobQueue extends LeasedTable {
  channel: string;
}

/** One claimed row while this runner works on it. */
export class LeasedJob<C extends Claimed> {
  private readonly controller = new AbortController();

  constructor(
    readonly claim: C,
    readonly lease: Lease,
  ) {}

  /** Set once the row is no longer this runner's (released, taken over, cancelled, deleted): the job stops at its next write. */
  get lost(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborted when the job is lost, so long computations stop early. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  lose(): void {
    this.controller.abort();
  }
}

/** What a runner does with the rows it claims. */
export interface JobHandler<C extends Claimed> {
  /**
   * Works on the row; every write it makes is conditional on still holding
   * the lease. A rejection means the database or storage went away: the row
   * stays leased, and is tried again once the lease runs out.
   */
  process(job: LeasedJob<C>): Promise<void>;
  /** The row was claimed more times than allowed (each one that never finished was a process that died on it): end it failed with `reason`. */
  exhausted(job: LeasedJob<C>, reason: string): Promise<void>;
  /** Housekeeping when the queue is empty, before the runner waits for the next row. */
  idle?(): Promise<void>;
}

export interface RunnerOptions {
  /** How long a claim holds without being renewed; it is renewed every third of that while the job runs. */
  leaseMs?: number;
  /** How often an idle runner looks for due rows unasked: a lease that runs out notifies no one. */
  pollMs?: number;
  /** Claims of one row before it ends failed. */
  maxAttempts?: number;
  logger?: Logger;
  /** What the rows are, for log lines ("media processing"). */
  name: string;
}

/**
 * Works through a queue table in the background of every server process: it
 * claims the oldest due row with `FOR UPDATE SKIP LOCKED` (so two runners
 * never take the same one) and a lease it renews as it goes; a process that
 * dies stops renewing, and once the lease has run out another process claims
 * the row. One job at a time per runner. New rows are noticed through the
 * queue's NOTIFY channel, and by polling.
 */
export class JobRunner<C extends Claimed> {
  /** Who holds a lease: unique per runner, readable in the row. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly maxAttempts: number;
  private stopping = false;
  private woken = false;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;
  private listening: Promise<{ unlisten(): Promise<void> } | undefined> | undefined;
  private current: { job: LeasedJob<C>; done: Promise<void> } | undefined;

  constructor(
    private readonly sql: Sql,
    private readonly queue: JobQueue,
    private readonly handler: JobHandler<C>,
    private readonly options: RunnerOptions,
  ) {
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 5_000;
    this.maxAttempts = options.maxAttempts ?? 3;
  }

  /** Starts claiming: rows left by stopped processes first (oldest first), then new ones as they are notified. */
  start(): this {
    this.listening ??= this.sql.listen(this.queue.channel, () => this.wake()).catch((error: unknown) => {
      this.options.logger?.warn({ err: error }, `${this.options.name}: cannot listen for new rows; polling`);
      return undefined;
    });
    this.loop ??= this.run();
    return this;
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
  claim(): Promise<C | undefined> {
    return claimDue<C>(this.sql, this.queue, this.owner, this.leaseMs);
  }

  private leased(claim: C): LeasedJob<C> {
    return new LeasedJob(claim, { id: claim.id, owner: this.owner, ms: this.leaseMs });
  }

  private async run(): Promise<void> {
    while (!this.stopping) {
      this.woken = false;
      const claim = await this.claim().catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, `${this.options.name}: cannot claim`);
        return null;
      });
      if (claim && this.stopping) {
        await this.release(this.leased(claim));
        break;
      }
      if (claim) {
        const job = this.leased(claim);
        const done = this.process(job);
        this.current = { job, done };
        await done;
        this.current = undefined;
        continue;
      }
      if (this.stopping || (claim === undefined && this.woken)) continue;
      await this.handler.idle?.();
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

  private async process(job: LeasedJob<C>): Promise<void> {
    const renewal = setInterval(() => void this.renew(job), this.leaseMs / 3);
    try {
      if (job.claim.attempts > this.maxAttempts) {
        await this.handler.exhausted(job, `processing was started ${this.maxAttempts} times and never finished: the server process running it stopped each time`);
      } else {
        await this.handler.process(job);
      }
    } catch (error) {
      // Database or storage unreachable: the row stays leased, and once the lease runs out it is tried again.
      this.options.logger?.warn({ err: error, jobId: job.claim.id }, `${this.options.name} interrupted`);
    } finally {
      clearInterval(renewal);
    }
  }

  private async renew(job: LeasedJob<C>): Promise<void> {
    const held = await renewLease(this.sql, this.queue, job.lease).catch(() => undefined);
    if (held === false) job.lose();
  }

  /** Hands the row back at shutdown; the job still running stops at its next write. */
  private async release(job: LeasedJob<C>): Promise<void> {
    job.lose();
    const released = await handBack(this.sql, this.queue, job.lease).catch((error: unknown) => {
      this.options.logger?.warn({ err: error, jobId: job.claim.id }, `${this.options.name}: row not handed back; its lease runs out instead`);
      return false;
    });
    if (released) await this.sql.notify(this.queue.channel, job.claim.id).catch(() => undefined);
  }
}
