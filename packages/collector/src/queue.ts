import type { NormalizedEvent, Rejection } from './validate.js';
import type { Visitor } from './sessions.js';

/** What one request asks the writer to store. */
export interface WriteRequest {
  visitor: Visitor;
  receivedAt: number;
  events: NormalizedEvent[];
  /** Approximate memory held (the request body's size). */
  bytes: number;
}

/** A request in the queue: settled after its COMMIT. */
export interface QueuedWrite extends WriteRequest {
  enqueuedAt: number;
  resolve(outcome: WriteOutcome): void;
  reject(error: Error): void;
}

/** The writer's verdict on a request's events, given after COMMIT. */
export interface WriteOutcome {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

/**
 * The bounded in-memory queue between requests and the writer, counted in
 * events and bytes. Requests are never split: a batch takes whole requests.
 */
export class BoundedQueue {
  private items: QueuedWrite[] = [];
  private head = 0;
  /** Events and bytes waiting (not yet taken by a writer). */
  events = 0;
  bytes = 0;
  private waiters: (() => void)[] = [];

  constructor(
    private readonly maxEvents: number,
    private readonly maxBytes: number,
  ) {}

  get length(): number {
    return this.items.length - this.head;
  }

  /** Whether `events`/`bytes` more would fit (`inFlight` counts what writers hold). */
  fits(events: number, bytes: number, inFlight: { events: number; bytes: number }): boolean {
    return this.events + inFlight.events + events <= this.maxEvents && this.bytes + inFlight.bytes + bytes <= this.maxBytes;
  }

  push(request: QueuedWrite): void {
    this.items.push(request);
    this.events += request.events.length;
    this.bytes += request.bytes;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  /** The enqueue time of the oldest waiting request. */
  oldest(): number | undefined {
    return this.items[this.head]?.enqueuedAt;
  }

  /** Takes whole requests up to `maxEvents` events (at least one request). */
  take(maxEvents: number): QueuedWrite[] {
    const batch: QueuedWrite[] = [];
    let events = 0;
    while (this.head < this.items.length) {
      const next = this.items[this.head]!;
      if (batch.length > 0 && events + next.events.length > maxEvents) break;
      batch.push(next);
      events += next.events.length;
      this.head += 1;
      this.events -= next.events.length;
      this.bytes -= next.bytes;
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return batch;
  }

  /** Removes everything (to fail it fast, when the database is down). */
  drain(): QueuedWrite[] {
    const all = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    this.events = 0;
    this.bytes = 0;
    return all;
  }

  /** Resolves when something is pushed (or `wake()` is called). */
  waitForItems(): Promise<void> {
    if (this.length > 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Wakes every waiting writer (to notice a shutdown). */
  wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
