import { createHmac, randomBytes } from 'node:crypto';
import type { Sql } from '@vr-tour/db';
import { parseUserAgent, type UserAgentInfo } from './user-agent.js';

export const SESSION_IDLE_MS = 30 * 60_000;
const DAY_MS = 86_400_000;

// Every request asks for the day of its salt; nearly all fall on the same day.
let lastDay = { number: NaN, text: '' };

function utcDay(ms: number): string {
  const number = Math.floor(ms / DAY_MS);
  if (number !== lastDay.number) lastDay = { number, text: new Date(number * DAY_MS).toISOString().slice(0, 10) };
  return lastDay.text;
}

export interface Salts {
  today: Buffer;
  /** The previous day's salt while it exists, for the midnight overlap. */
  yesterday: Buffer | undefined;
}

/**
 * Daily random salts, stored in analytics_salts so every collector process
 * computes the same hashes. Today's is created on demand, race-free (insert
 * if missing, then read what won); yesterday's is kept; older ones are
 * deleted so old visitor hashes can never be recomputed.
 */
export class SaltStore {
  private current: { day: string; promise: Promise<Salts> } | undefined;

  /** `transaction` runs a function in one transaction (the writer's, which survives outages). */
  constructor(private readonly transaction: <T>(fn: (tx: Sql) => Promise<T>) => Promise<T>) {}

  get(now: number): Promise<Salts> {
    const day = utcDay(now);
    if (this.current?.day !== day) {
      const promise = this.load(day, utcDay(Date.parse(day) - DAY_MS));
      this.current = { day, promise };
      // A failed load (database down) is retried by the next request.
      promise.catch(() => {
        if (this.current?.promise === promise) this.current = undefined;
      });
    }
    return this.current.promise;
  }

  private async load(day: string, yesterday: string): Promise<Salts> {
    const rows = await this.transaction(async (tx) => {
      await tx`INSERT INTO analytics_salts (day, salt) VALUES (${day}, ${randomBytes(32)}) ON CONFLICT (day) DO NOTHING`;
      await tx`DELETE FROM analytics_salts WHERE day < ${yesterday}`;
      return tx<{ day: string; salt: Buffer }[]>`
        SELECT day::text AS day, salt FROM analytics_salts WHERE day IN (${day}, ${yesterday})`;
    });
    const today = rows.find((row) => row.day === day)?.salt;
    if (!today) throw new Error(`salt for ${day} missing after insert`);
    return { today, yesterday: rows.find((row) => row.day === yesterday)?.salt };
  }
}

/** Who sent a request, as far as sessions go: hashes only, never the IP. */
export interface Visitor extends UserAgentInfo {
  tourId: string;
  /** HMAC(today's salt, tour|ip|ua), in hex: with the tour, it groups one visitor's events inside a batch. */
  key: string;
  /** The same with yesterday's salt while it exists (the midnight overlap). */
  yesterdayKey: string | null;
  /** A 32-bit advisory lock key, so two collector processes never split one visitor. */
  lockKey: number;
}

function visitorHash(salt: Buffer, tourId: string, ip: string, userAgent: string): Buffer {
  return createHmac('sha256', salt).update(`${tourId}|${ip}|${userAgent}`).digest();
}

export function makeVisitor(salts: Salts, tourId: string, ip: string, userAgent: string): Visitor {
  const today = visitorHash(salts.today, tourId, ip, userAgent);
  return {
    tourId,
    key: today.toString('hex'),
    yesterdayKey: salts.yesterday ? visitorHash(salts.yesterday, tourId, ip, userAgent).toString('hex') : null,
    lockKey: today.readInt32BE(0),
    ...parseUserAgent(userAgent),
  };
}
