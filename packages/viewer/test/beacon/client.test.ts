import type { BeaconBatch } from '@vr-tour/protocol';
import { analyticsConfig } from '../../src/features/analytics.js';
import { flushBeacons } from '../../src/beacon/client.js';
import { equal, ok } from '../helpers/assert.js';
import { cleanup, executeServerCommand, mount, nextEvent, rooms, sleep } from '../helpers/fixture.js';

interface Recorded {
  status: number;
  at: number;
  contentType: string;
  body: string;
  valid: boolean;
  issues: string | null;
}

/** Each test posts to its own collector URL (`?case=`), so batches another test sends late are not counted. */
const collector = (testCase: string) => `/fixtures/tour.json?collector=${encodeURIComponent(`/collect?case=${testCase}`)}`;
const script = (testCase: string, statuses: number[]) => executeServerCommand('collector-script', { case: testCase, statuses });
const log = async (testCase: string): Promise<Recorded[]> => (await fetch(`/collect/log?case=${testCase}`)).json();
// UUIDv7 (version 7, RFC 9562 variant): the events table is partitioned by the time in the id.
const UUID7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const idTime = (id: string) => parseInt(id.slice(0, 8) + id.slice(9, 13), 16);

describe('beacon client', () => {
  before(() => {
    analyticsConfig.performanceSampleRate = 1;
  });
  afterEach(cleanup);

  it('sends a valid text/plain batch of view, scene_view, hotspot_click, share and performance events', async () => {
    await script('batch', []);
    const { tourId } = await rooms();
    const element = mount({ src: collector('batch') }, 400, 300);
    await nextEvent(element, 'load');
    element.shadowRoot!.querySelector<HTMLElement>('[aria-label=Welcome]')!.click();
    Object.defineProperty(navigator, 'share', { value: undefined, configurable: true });
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: async () => {} }, configurable: true });
    equal(await element.share(), 'copy');
    await sleep(50);
    await flushBeacons();
    const records = await log('batch');
    ok(records.length >= 1, 'a batch was posted');
    const events: BeaconBatch['events'] = [];
    for (const record of records) {
      ok(record.valid, `batch fails the protocol schema: ${record.issues}`);
      ok(record.contentType.startsWith('text/plain'), `content-type ${record.contentType}`);
      ok(record.body.length < 32_768, 'under the keepalive budget');
      const batch = JSON.parse(record.body) as BeaconBatch;
      equal(batch.v, 1);
      equal(batch.tourId, tourId);
      equal(batch.client?.webdriver, true, 'webdriver flag:');
      ok(batch.events.length <= 50, 'at most 50 events');
      events.push(...batch.events);
    }
    const types = new Set(events.map((event) => event.type));
    for (const type of ['view', 'scene_view', 'hotspot_click', 'share', 'performance']) ok(types.has(type as never), `no ${type} event`);
    ok(events.some((event) => event.type === 'performance' && event.metric === 'first_panorama' && event.value > 0), 'first_panorama reported');
    equal(new Set(events.map((event) => event.id)).size, events.length, 'unique ids:');
    ok(events.every((event) => UUID7.test(event.id) && Number.isInteger(event.offsetMs) && event.offsetMs >= 0), 'ids and offsets');
    ok(events.every((event) => Math.abs(idTime(event.id) - Date.now()) < 60_000), 'ids carry the time they were made');
  });

  it('retries after 503 honouring Retry-After, with the same event ids', async () => {
    await script('retry', [503]);
    const element = mount({ src: collector('retry') }, 400, 300);
    await nextEvent(element, 'load');
    await flushBeacons();
    let records: Recorded[] = [];
    for (let tries = 0; tries < 60 && (records = await log('retry')).length < 1; tries += 1) await sleep(250);
    await flushBeacons(); // a flush asked for meanwhile waits for Retry-After too
    for (let tries = 0; tries < 60 && (records = await log('retry')).length < 2; tries += 1) await sleep(250);
    equal(records.map((record) => record.status).join(), '503,200', 'answers:');
    // Retry-After: 1 (second): the retry must not come sooner.
    ok(records[1]!.at - records[0]!.at >= 990, `retried after ${records[1]!.at - records[0]!.at} ms`);
    const ids = (index: number) => (JSON.parse(records[index]!.body) as BeaconBatch).events.map((event) => event.id).join();
    ok(ids(1).startsWith(ids(0)), 'the retry carries the same ids');
  });

  it('analytics="off" sends nothing', async () => {
    await script('off', []);
    const element = mount({ src: collector('off'), analytics: 'off' }, 400, 300);
    await nextEvent(element, 'load');
    element.shadowRoot!.querySelector<HTMLElement>('[aria-label=Welcome]')!.click();
    await element.share();
    await flushBeacons();
    await sleep(1500);
    equal((await log('off')).length, 0, 'batches posted:');
  });
});
