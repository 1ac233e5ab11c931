import type { BeaconBatch, BeaconEvent, NewBeaconEvent } from '@vr-tour/protocol';
import { BEACON_LIMITS } from '@vr-tour/protocol/beacon-limits';
// Time-ordered ids: the events table is partitioned by month through them.
import { uuidv7 } from '@vr-tour/protocol/uuid7';

const MAX_EVENTS = BEACON_LIMITS.eventsPerBatch;
/** Room under the collector's limit: the length measured here counts UTF-16 units, the collector UTF-8 bytes. */
const MAX_BYTES = BEACON_LIMITS.batchBytes - 768;
const FLUSH_DELAY_MS = 1_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
const MAX_ATTEMPTS = 10;

const offline = (): boolean => navigator.onLine === false;

interface Queued {
  event: Omit<BeaconEvent, 'offsetMs'>;
  /** performance.now() when it happened. */
  at: number;
}

/** Seconds or an HTTP date, in ms from now; null when absent or unreadable. */
function retryAfter(response: Response): number | null {
  const header = response.headers.get('retry-after');
  if (!header) return null;
  const seconds = Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), 10 * BACKOFF_MAX_MS) : null;
}

/**
 * Batches a tour's analytics events and sends them to its collector as
 * `text/plain` JSON (a CORS simple request: no preflight), with fetch
 * keepalive, or sendBeacon when the page goes away. Event ids are made here,
 * so a retried batch never counts twice; `offsetMs` is recomputed at each send.
 */
export class BeaconClient {
  private queue: Queued[] = [];
  /** Events at the head of the queue that a fetch is carrying. */
  private inFlight = 0;
  private attempt = 0;
  private timer = 0;
  private waitingOnline = false;
  private sending: Promise<void> | null = null;
  /** performance.now() before which the collector asked not to be called again (Retry-After, backoff). */
  private retryAt = 0;

  constructor(
    readonly url: string,
    readonly tourId: string,
  ) {}

  add(event: NewBeaconEvent, at = performance.now()): void {
    this.queue.push({ event: { ...event, id: uuidv7() } as Queued['event'], at });
    if (this.queue.length - this.inFlight >= MAX_EVENTS) void this.flush();
    else if (!this.sending) this.schedule(FLUSH_DELAY_MS);
  }

  /** How many events wait to be sent. */
  get pending(): number {
    return this.queue.length;
  }

  private schedule(delay: number): void {
    if (this.timer || this.waitingOnline) return;
    this.timer = window.setTimeout(() => {
      this.timer = 0;
      void this.flush();
    }, delay);
  }

  /** The next batch from `from`: at most 50 events and 32 KB. */
  private batch(from: number): { body: string; count: number } {
    const now = performance.now();
    const events: BeaconEvent[] = [];
    const batch: BeaconBatch = {
      v: 1,
      tourId: this.tourId,
      events,
      client: { webdriver: navigator.webdriver, headless: /HeadlessChrome/.test(navigator.userAgent) },
    };
    let body = '';
    for (const { event, at } of this.queue.slice(from, from + MAX_EVENTS)) {
      events.push({ ...event, offsetMs: Math.max(0, Math.round(now - at)) } as BeaconEvent);
      const next = JSON.stringify(batch);
      if (next.length > MAX_BYTES && events.length > 1) {
        events.pop();
        break;
      }
      body = next;
    }
    return { body, count: events.length };
  }

  /** Sends what is queued, one batch after another, with fetch keepalive; resolves when done or waiting to retry. */
  flush(): Promise<void> {
    // Waiting out a Retry-After or a backoff: its timer sends, not an early flush.
    if (this.timer && performance.now() < this.retryAt) return Promise.resolve();
    clearTimeout(this.timer);
    this.timer = 0;
    return (this.sending ??= this.drain().finally(() => {
      this.sending = null;
      if (this.queue.length) this.schedule(FLUSH_DELAY_MS);
    }));
  }

  private async drain(): Promise<void> {
    while (this.queue.length && !this.waitingOnline) {
      if (offline()) return this.awaitOnline();
      const { body, count } = this.batch(0);
      this.inFlight = count;
      let retryIn: number | null = null;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
          keepalive: true,
          credentials: 'omit',
        });
        // 2xx: stored. Other 4xx: this batch can never succeed, so it is dropped.
        if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) this.done(count);
        else retryIn = retryAfter(response) ?? this.backoff();
      } catch {
        retryIn = this.backoff();
      }
      this.inFlight = 0;
      if (retryIn !== null) {
        if (++this.attempt > MAX_ATTEMPTS) this.done(count);
        else if (offline()) return this.awaitOnline();
        else {
          this.retryAt = performance.now() + retryIn;
          return this.schedule(retryIn);
        }
      }
    }
  }

  private done(count: number): void {
    this.queue.splice(0, count);
    this.attempt = 0;
  }

  /** Exponential backoff with jitter: 1 s, 2 s, 4 s … up to a minute, each scaled by 0.5-1. */
  private backoff(): number {
    return Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** this.attempt) * (0.5 + Math.random() / 2);
  }

  private awaitOnline(): void {
    if (this.waitingOnline) return;
    this.waitingOnline = true;
    addEventListener(
      'online',
      () => {
        this.waitingOnline = false;
        void this.flush();
      },
      { once: true },
    );
  }

  /** The page is going away: hand everything not already in flight to sendBeacon. */
  flushOnExit(): void {
    while (this.queue.length > this.inFlight) {
      const { body, count } = this.batch(this.inFlight);
      if (!navigator.sendBeacon(this.url, new Blob([body], { type: 'text/plain' }))) return;
      this.queue.splice(this.inFlight, count);
    }
  }
}

const clients = new Map<string, BeaconClient>();
let sampled: boolean | null = null;

/** The client for a collector and tour (one per page), made on first use. */
export function beaconClient(url: string, tourId: string, sampleRate: number): BeaconClient {
  const key = `${url} ${tourId}`;
  let client = clients.get(key);
  if (client) return client;
  if (!clients.size) {
    addEventListener('pagehide', flushOnExit);
    document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flushOnExit());
  }
  client = new SampledClient(url, tourId);
  sampled ??= Math.random() < sampleRate;
  // Page-wide web-vitals go to the first tour of the page, in sampled page loads only.
  if (sampled && !clients.size) {
    const first = client;
    void import('./vitals.js').then(({ reportVitals }) => reportVitals((event) => first.add(event)));
  }
  clients.set(key, client);
  return client;
}

/** Drops performance events in page loads outside the sample. */
class SampledClient extends BeaconClient {
  override add(event: NewBeaconEvent, at?: number): void {
    if (event.type !== 'performance' || sampled) super.add(event, at);
  }
}

function flushOnExit(): void {
  clients.forEach((client) => client.flushOnExit());
}

/** Sends everything queued now (tests, and pages that want to flush early). */
export async function flushBeacons(): Promise<void> {
  await Promise.all([...clients.values()].map((client) => client.flush()));
}
