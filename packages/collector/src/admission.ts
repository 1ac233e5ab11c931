import type { WriteOutcome } from './queue.js';
import { DatabaseUnavailableError } from './refusals.js';
import { makeVisitor, SaltStore } from './sessions.js';
import type { NormalizedEvent } from './validate.js';
import type { Writer } from './writer.js';

/** One request's valid events, and who sent them (the IP is hashed here and goes no further). */
export interface Submission {
  tourId: string;
  ip: string;
  userAgent: string;
  receivedAt: number;
  events: NormalizedEvent[];
  /** The request body's size: what the queue is bounded by, beside events. */
  bytes: number;
}

/**
 * All the beacon handler asks of storage: whether batches are taken at all,
 * and to store one. Behind it: the day's salts (for the visitor's hashes),
 * the database's state and the queue's room, and the writer.
 */
export class Admission {
  private closing = false;
  /** Submissions between their start and the queue, so close() waits for them too. */
  private pending = 0;
  private readonly salts: SaltStore;

  constructor(private readonly writer: Writer) {
    this.salts = new SaltStore((fn) => writer.transaction(fn));
  }

  /** False once close() began: new batches are answered 503 at once. */
  get open(): boolean {
    return !this.closing;
  }

  /**
   * Stores the submission's events: settles after their COMMIT. Rejects with
   * DatabaseUnavailableError (also at once while the database is known to be
   * down), QueueFullError, or another error when the write failed.
   */
  async submit(submission: Submission): Promise<WriteOutcome> {
    if (!this.writer.up) throw new DatabaseUnavailableError();
    this.pending += 1;
    try {
      const salts = await this.salts.get(submission.receivedAt);
      const visitor = makeVisitor(salts, submission.tourId, submission.ip, submission.userAgent);
      return this.writer.enqueue(visitor, submission.receivedAt, submission.events, submission.bytes);
    } finally {
      this.pending -= 1;
    }
  }

  /** Refuses new batches, lets those already submitted join the queue, then commits everything queued. */
  async close(): Promise<void> {
    this.closing = true;
    while (this.pending > 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await this.writer.stop();
  }
}
