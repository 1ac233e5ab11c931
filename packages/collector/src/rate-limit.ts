export interface BucketConfig {
  /** Tokens (events) added per second. */
  ratePerSecond: number;
  /** Bucket size: the largest burst. */
  burst: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token buckets by key; a bucket refilled to full is forgotten (memory stays bounded by active keys). */
export class TokenBuckets {
  private buckets = new Map<string, Bucket>();
  private lastSweep = 0;

  constructor(readonly config: BucketConfig) {}

  private current(key: string, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.config.burst, updatedAt: now };
      this.buckets.set(key, bucket);
    } else if (now > bucket.updatedAt) {
      bucket.tokens = Math.min(this.config.burst, bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.config.ratePerSecond);
      bucket.updatedAt = now;
    }
    return bucket;
  }

  /** 0 when `cost` tokens are available now, else the seconds until they are. */
  check(key: string, cost: number, now: number): number {
    const bucket = this.current(key, now);
    const need = Math.min(cost, this.config.burst);
    if (bucket.tokens >= need) return 0;
    return (need - bucket.tokens) / this.config.ratePerSecond;
  }

  take(key: string, cost: number, now: number): void {
    const bucket = this.current(key, now);
    bucket.tokens -= Math.min(cost, this.config.burst);
    this.sweep(now);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    const fullAfterMs = (this.config.burst / this.config.ratePerSecond) * 1000;
    for (const [key, bucket] of this.buckets) if (now - bucket.updatedAt >= fullAfterMs) this.buckets.delete(key);
  }
}

export interface RateLimitOptions {
  perIp: BucketConfig;
  perTour: BucketConfig;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  // A viewer sends a few events a minute; this leaves room for a big NAT.
  perIp: { ratePerSecond: 50, burst: 500 },
  // Keeps one flooded tour from starving the others.
  perTour: { ratePerSecond: 5_000, burst: 20_000 },
};

/** Per-IP and per-tour limits, counted in events. Returns 0 (allowed, tokens taken) or seconds to wait. */
export class RateLimiter {
  private readonly ip: TokenBuckets;
  private readonly tour: TokenBuckets;

  constructor(options: RateLimitOptions) {
    this.ip = new TokenBuckets(options.perIp);
    this.tour = new TokenBuckets(options.perTour);
  }

  admit(ip: string, tourId: string, events: number, now: number): number {
    const wait = Math.max(this.ip.check(ip, events, now), this.tour.check(tourId, events, now));
    if (wait > 0) return wait;
    this.ip.take(ip, events, now);
    this.tour.take(tourId, events, now);
    return 0;
  }
}
