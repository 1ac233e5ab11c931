import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCollector, type Collector } from '@vr-tour/collector';
import { createTestDatabase, type TestDatabase } from '@vr-tour/db/testing';
import { uuidv7, wireJsonSchemas } from '@vr-tour/protocol';
import { startTestApp, type RunningApp } from '../support/app.js';
import { insertTour } from '../support/fixtures.js';
import { changedTables, checksum, checksumStatement, FUZZ_SEED, runsPer, send, Tally, type FuzzRequest } from './support/harness.js';
import { poisonValue, serialize, VALUE_POISONS, type ValuePoison } from './support/poisons.js';
import { validValue, type Schema, type SchemaSource } from './support/schema.js';

// The beacon endpoint as the server mounts it: batches whose events are each
// valid but for one poison must store nothing; a poisoned event beside a good
// one is rejected alone, and the good one is stored.

const RUNS = runsPer(150);
const VISITOR_UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
/** Poisons of an event; an off-host URL is no poison here (a referrer may be any page). */
const EVENT_POISONS = VALUE_POISONS.filter((poison) => poison !== 'off-host-url');

const batchSchema = wireJsonSchemas()['beacon-batch'] as Schema;
const doc: SchemaSource = { components: { schemas: (batchSchema.$defs ?? {}) as Record<string, Schema> } };
const eventSchema = batchSchema.properties.events.items as Schema;

let db: TestDatabase;
let app: RunningApp;
let collector: Collector;
let tourId: string;
let sceneIds: string[];
let statement: string;
const tallies = new Map<string, Tally>();

beforeAll(async () => {
  db = await createTestDatabase();
  collector = createCollector({ sql: db.sql, rateLimit: false });
  app = await startTestApp(db.sql, { collector: collector.handler });
  ({ tourId, sceneIds } = await insertTour(db.sql, (await db.sql<{ id: string }[]>`INSERT INTO users (email) VALUES ('beacons@example.com') RETURNING id`)[0]!.id, { status: 'published', visibility: 'public' }));
  statement = await checksumStatement(db.sql);
});

afterAll(async () => {
  const lines = [...tallies].map(([name, tally]) => tally.summary(name));
  console.log(`/collect fuzz, seed ${FUZZ_SEED}, ${RUNS} runs per property:\n${lines.join('\n')}`);
  await app?.close();
  await collector?.close();
  await db?.drop();
});

function poisonedEvent(picks: number[], offset: number) {
  return fc.record({ event: validValue({ doc, ids: { sceneId: sceneIds, hotspotId: sceneIds } }, eventSchema), poison: fc.constantFrom(...EVENT_POISONS) }).map(({ event, poison }) => {
    let next = offset;
    const pick = (count: number) => picks[next++ % picks.length]! % count;
    let applied: ValuePoison = poison;
    let poisoned = poisonValue(doc, event, eventSchema, applied, pick);
    if (!poisoned) {
      applied = 'nul';
      poisoned = poisonValue(doc, event, eventSchema, applied, pick)!;
    }
    return { value: poisoned.value, poison: `${applied} at ${poisoned.where}` };
  });
}

function beacon(events: unknown[], poisons: string[]): FuzzRequest {
  const body = `{"v":1,"tourId":"${tourId}","events":[${events.map(serialize).join(',')}]}`;
  return { method: 'POST', path: '/collect', headers: { 'Content-Type': 'text/plain;charset=UTF-8', 'User-Agent': VISITOR_UA }, body, poison: poisons.join('; ') };
}

async function storedEvents(): Promise<number> {
  const [row] = await db.sql<{ count: number }[]>`SELECT count(*)::int AS count FROM tour_analytics_events`;
  return row!.count;
}

const picks = fc.array(fc.nat(), { minLength: 8, maxLength: 8 });

describe('fuzzing /collect', () => {
  it('a batch of poisoned events stores nothing and is answered below 500', async () => {
    const tally = new Tally();
    tallies.set('POST /collect (every event poisoned)', tally);
    let before = await checksum(db.sql, statement);
    await fc.assert(
      fc.asyncProperty(
        picks.chain((chosen) => fc.array(poisonedEvent(chosen, 0), { minLength: 1, maxLength: 5 })),
        async (events) => {
          const fuzz = beacon(events.map((event) => event.value), events.map((event) => event.poison));
          const answer = await send(app.url, fuzz);
          const after = await checksum(db.sql, statement);
          tally.record(fuzz, answer, changedTables(before, after));
          if (answer !== 'timeout' && answer.status === 200 && JSON.parse(answer.body).accepted !== 0) {
            tally.violations.push(`accepted a poisoned event — ${fuzz.poison} — ${String(fuzz.body).slice(0, 300)}`);
          }
          before = after;
        },
      ),
      { seed: FUZZ_SEED, numRuns: RUNS },
    );
    expect(tally.violations, tally.violations.slice(0, 20).join('\n')).toEqual([]);
  });

  it('a poisoned event is rejected alone: its good neighbour is stored', async () => {
    const tally = new Tally();
    tallies.set('POST /collect (one good event beside them)', tally);
    await fc.assert(
      fc.asyncProperty(
        picks.chain((chosen) => fc.tuple(fc.array(poisonedEvent(chosen, 0), { minLength: 1, maxLength: 4 }), fc.nat())),
        async ([poisoned, position]) => {
          const good = { id: uuidv7(), type: 'scene_view', sceneId: sceneIds[0], offsetMs: 0 };
          const goodIndex = position % (poisoned.length + 1);
          const events: unknown[] = poisoned.map((event) => event.value);
          events.splice(goodIndex, 0, good);
          const fuzz = beacon(events, poisoned.map((event) => event.poison));
          const storedBefore = await storedEvents();
          const answer = await send(app.url, fuzz);
          const storedAfter = await storedEvents();
          tally.record(fuzz, answer, []);
          const result = answer !== 'timeout' && answer.status === 200 ? (JSON.parse(answer.body) as { accepted: number; rejected: { index: number }[] }) : undefined;
          const rejected = result?.rejected.map((entry) => entry.index).sort((a, b) => a - b);
          const expected = events.map((_, index) => index).filter((index) => index !== goodIndex);
          const stored = await db.sql`SELECT 1 FROM tour_analytics_events WHERE id = ${good.id}`;
          // A body over the collector's limit is refused whole, before any event is read.
          const tooLarge = answer !== 'timeout' && answer.status === 413 && storedAfter === storedBefore;
          if (tooLarge) return;
          if (!result || result.accepted !== 1 || JSON.stringify(rejected) !== JSON.stringify(expected) || stored.length !== 1 || storedAfter - storedBefore !== 1) {
            tally.violations.push(
              `good event not kept alone (answer ${answer === 'timeout' ? 'timeout' : `${answer.status} ${answer.body.slice(0, 200)}`}, ${storedAfter - storedBefore} stored) — ${fuzz.poison} — ${String(fuzz.body).slice(0, 300)}`,
            );
          }
        },
      ),
      { seed: FUZZ_SEED + 1, numRuns: RUNS },
    );
    expect(tally.violations, tally.violations.slice(0, 20).join('\n')).toEqual([]);
  });
});
