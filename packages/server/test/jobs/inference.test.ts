import { afterAll, describe, expect, it } from 'vitest';
import { matchGeometry } from '../../src/jobs/analysis/links.js';
import { ThreadAnalyzer } from '../../src/jobs/analysis/thread-analyzer.js';
import { wrapDegrees } from '../../src/jobs/analysis/views.js';
import { grey, personPhoto, roomPanorama, rotated, withPhotoAt } from './support/panoramas.js';

// The real models, in the real worker thread: no stand-in here.
const analyzer = new ThreadAnalyzer();
afterAll(() => analyzer.close());

describe('the object detector on a panorama', () => {
  it('finds the person of a photo shipped with @vladmandic/human, pasted at a known bearing, within a few degrees of it', async () => {
    const panorama = await withPhotoAt(roomPanorama(4096), await personPhoto(), 60, 20);
    const stages: string[] = [];
    const findings = await analyzer.analyzeScene(panorama, (_percent, stage) => stages.push(stage), new AbortController().signal);
    const people = findings.objects.filter((object) => object.label === 'person');
    expect(people.length, JSON.stringify(findings.objects)).toBeGreaterThanOrEqual(1);
    const nearest = people.reduce((best, object) => (Math.abs(wrapDegrees(object.yaw - 60)) < Math.abs(wrapDegrees(best.yaw - 60)) ? object : best));
    expect(Math.abs(wrapDegrees(nearest.yaw - 60))).toBeLessThan(3);
    expect(Math.abs(nearest.pitch)).toBeLessThan(3);
    // Nothing found in the generated room itself: its walls, floor and doors are no COCO objects.
    expect(findings.objects.filter((object) => Math.abs(wrapDegrees(object.yaw - 60)) > 20)).toEqual([]);
    expect(findings.quality).toMatchObject({ blurry: false, exposure: 'ok' });
    expect(stages).toContain('detecting objects (view 8 of 8)');
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    const running = analyzer.analyzeScene(roomPanorama(2048), () => controller.abort(), controller.signal);
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('feature matching between panoramas', () => {
  it.each([40, -75, 150])('recovers a turn of %i° between a generated panorama and its turned copy', async (degrees) => {
    const source = roomPanorama(2048, 1);
    const matches = await analyzer.matchFeatures(grey(source), grey(rotated(source, degrees)), new AbortController().signal);
    const geometry = matchGeometry(matches);
    expect(geometry, `${matches.pairs.length} matches`).not.toBeNull();
    expect(Math.abs(wrapDegrees(geometry!.rotation - degrees))).toBeLessThan(1);
    // Turned in place: no parallax, so no direction of travel is claimed.
    expect(geometry!.direction).toBeNull();
  });

  it('finds too few consistent matches between two different rooms to claim a link', async () => {
    const matches = await analyzer.matchFeatures(grey(roomPanorama(2048, 0)), grey(roomPanorama(2048, 2)), new AbortController().signal);
    const geometry = matchGeometry(matches);
    expect(geometry === null || geometry.inliers < 60, JSON.stringify(geometry)).toBe(true);
  });
});
